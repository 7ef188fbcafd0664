// What the stand-in answers a request with: a status, a JSON body, headers.
export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}
