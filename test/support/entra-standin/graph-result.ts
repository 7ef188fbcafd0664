// What a Graph operation produced, before it is written to a socket or into a $batch response.
import { graphTime } from './state';

export interface GraphResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Never answer: an injected hang. */
  hang?: boolean;
}

/** One Graph operation: a top-level request or one sub-request of a $batch. */
export interface GraphCall {
  method: string;
  /** Path with version, still percent-encoded: `/v1.0/users/a%40b.com`. */
  path: string;
  query: URLSearchParams;
  body: unknown;
  roles: readonly string[];
  /** The calling app (its token's appid), for limits counted per app and tenant. */
  appId?: string;
  requestId: string;
  clientRequestId: string;
  insideBatch: boolean;
}

export function graphError(
  call: Pick<GraphCall, 'requestId' | 'clientRequestId'>,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): GraphResult {
  return {
    status,
    headers,
    body: {
      error: {
        code,
        message,
        innerError: {
          date: graphTime(new Date()),
          'request-id': call.requestId,
          'client-request-id': call.clientRequestId,
        },
      },
    },
  };
}

export const notFound = (call: GraphCall, key: string): GraphResult =>
  graphError(
    call,
    404,
    'Request_ResourceNotFound',
    `Resource '${key}' does not exist or one of its queried reference-property objects are not present.`,
  );

export const badRequest = (call: GraphCall, message: string): GraphResult =>
  graphError(call, 400, 'Request_BadRequest', message);
