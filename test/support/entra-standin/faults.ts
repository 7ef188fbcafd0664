// Faults tests inject: throttling, server errors and hangs, matched on method and path, either on
// whole HTTP requests or on the sub-requests of a $batch.

export interface FaultSpec {
  method?: string;
  /** Matched against the path without query, version included: `/v1.0/devices/…`. */
  path: RegExp;
  status: 429 | 500 | 502 | 503 | 504 | number;
  retryAfterSeconds?: number;
  /** How many matching requests fail; default 1. Use Infinity for a storm. */
  times?: number;
  /** True: only sub-requests inside $batch; otherwise only top-level requests. */
  insideBatch?: boolean;
  /** Never answer (until the server stops or the client gives up). */
  hang?: boolean;
  /** Let this many matching requests through untouched before the fault starts. */
  skip?: number;
  code?: string;
  message?: string;
  /**
   * Answer `status` with this body instead of an error: an answer that parses but is not what
   * Graph documents (`{"value": false}`, a report without steps), which a client must not trust.
   */
  body?: unknown;
}

export interface Fault extends Required<Pick<FaultSpec, 'path' | 'status'>> {
  spec: FaultSpec;
  remaining: number;
  hits: number;
  /** Matching requests still to let through (`skip`). */
  skipping: number;
}

const DEFAULT_CODES: Record<number, [string, string]> = {
  429: ['TooManyRequests', 'Too many requests.'],
  500: ['InternalServerError', 'An internal server error occurred.'],
  502: ['BadGateway', 'Bad gateway.'],
  503: ['ServiceUnavailable', 'The service is temporarily unavailable. Please retry later.'],
  504: ['GatewayTimeout', 'The gateway timed out.'],
};

export function faultCode(fault: Fault): [string, string] {
  return [
    fault.spec.code ?? DEFAULT_CODES[fault.status]?.[0] ?? 'UnknownError',
    fault.spec.message ?? DEFAULT_CODES[fault.status]?.[1] ?? 'Injected fault.',
  ];
}

export class FaultInjector {
  private readonly faults: Fault[] = [];

  add(spec: FaultSpec): Fault {
    const fault: Fault = {
      spec,
      path: spec.path,
      status: spec.status,
      remaining: spec.times ?? 1,
      hits: 0,
      skipping: spec.skip ?? 0,
    };
    this.faults.push(fault);
    return fault;
  }

  clear(): void {
    this.faults.length = 0;
  }

  /** The first live fault matching the request; consumes one of its `times`. */
  take(method: string, path: string, insideBatch: boolean): Fault | undefined {
    const fault = this.faults.find(
      (f) =>
        f.remaining > 0 &&
        (f.spec.insideBatch ?? false) === insideBatch &&
        (f.spec.method === undefined || f.spec.method.toUpperCase() === method.toUpperCase()) &&
        f.path.test(path),
    );
    if (!fault) return undefined;
    if (fault.skipping > 0) {
      fault.skipping -= 1;
      return undefined;
    }
    fault.remaining -= 1;
    fault.hits += 1;
    return fault;
  }
}
