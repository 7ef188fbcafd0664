// Runs one Graph operation (top-level or inside $batch): injected faults first, then the route,
// then the permission check the route demands.
import type { CallLog } from './call-log';
import type { FaultInjector } from './faults';
import { faultCode } from './faults';
import type { GraphCall, GraphResult } from './graph-result';
import { graphError } from './graph-result';
import { findRoute, pathKnown } from './graph-routes';
import type { GraphRateLimit } from './rate-limit';
import { isWrite, writeThrottleHeaders, type GraphWriteLimit } from './write-limit';
import type { StandinState } from './state';

export interface DispatchDeps {
  state: StandinState;
  faults: FaultInjector;
  log: CallLog;
  origin: string;
  /** Counted here only for $batch sub-requests; top-level calls are counted on arrival. */
  rateLimit?: GraphRateLimit;
  /** The write budget of the calling app, when one is enforced; counted like rateLimit. */
  writeLimit?: (appId: string) => GraphWriteLimit | undefined;
  tenantId?: string;
}

/** Graph's 429 for a write past the app's write budget; undefined when the write may go ahead. */
export function writeThrottled(deps: DispatchDeps, call: GraphCall): GraphResult | undefined {
  if (!isWrite(call.method)) return undefined;
  const appId = call.appId ?? '';
  const retryAfter = deps.writeLimit?.(appId)?.take();
  if (retryAfter === undefined) return undefined;
  return graphError(
    call,
    429,
    'TooManyRequests',
    'Too many requests: the application has exceeded its write limit for this tenant.',
    writeThrottleHeaders(retryAfter, appId, deps.tenantId ?? ''),
  );
}

function firstSegment(path: string): string {
  return decodeURIComponent(path.replace(/^\/v1\.0\/?/, '').split('/')[0] ?? '');
}

export function dispatchGraph(deps: DispatchDeps, call: GraphCall): GraphResult {
  const found = findRoute(call.method, call.path);
  const routeName = found?.route.name ?? `${call.method} ${call.path}`;
  const result = answer(deps, call, found);
  deps.log.record(routeName, result.hang ? 0 : result.status, call.insideBatch, call.path);
  return result;
}

function answer(
  deps: DispatchDeps,
  call: GraphCall,
  found: ReturnType<typeof findRoute>,
): GraphResult {
  // Graph throttles each sub-request of a $batch on its own and reports it in that sub-response.
  const retryAfter = call.insideBatch ? deps.rateLimit?.take(1) : undefined;
  if (retryAfter !== undefined) {
    return graphError(call, 429, 'TooManyRequests', 'Too many requests.', {
      'Retry-After': String(retryAfter),
    });
  }
  const writeRefused = call.insideBatch ? writeThrottled(deps, call) : undefined;
  if (writeRefused) return writeRefused;
  const fault = deps.faults.take(call.method, call.path, call.insideBatch);
  if (fault) {
    if (fault.spec.hang) return { status: 0, hang: true };
    if (fault.spec.body !== undefined) return { status: fault.status, body: fault.spec.body };
    const [code, message] = faultCode(fault);
    const headers: Record<string, string> = {};
    if (fault.spec.retryAfterSeconds !== undefined)
      headers['Retry-After'] = String(fault.spec.retryAfterSeconds);
    return graphError(call, fault.status, code, message, headers);
  }
  if (!found) {
    if (pathKnown(call.path)) {
      return graphError(
        call,
        405,
        'Request_BadRequest',
        `The HTTP method '${call.method}' is not allowed for the requested resource.`,
      );
    }
    return graphError(
      call,
      400,
      'BadRequest',
      `Resource not found for the segment '${firstSegment(call.path)}'.`,
    );
  }
  const allowed = found.route.permissions.some((set) => set.every((p) => call.roles.includes(p)));
  if (!allowed) {
    return graphError(
      call,
      403,
      'Authorization_RequestDenied',
      'Insufficient privileges to complete the operation.',
    );
  }
  return found.route.handle({ call, params: found.params, state: deps.state, origin: deps.origin });
}
