// JSON batching: up to 20 sub-requests in one POST /v1.0/$batch, each answered with its own
// status, headers and body inside a 200; `dependsOn` orders them and fails dependants with 424.
import { randomUUID } from 'node:crypto';
import type { DispatchDeps } from './graph-dispatch';
import { dispatchGraph } from './graph-dispatch';
import type { GraphCall, GraphResult } from './graph-result';
import { badRequest, graphError } from './graph-result';

export const MAX_BATCH_REQUESTS = 20;

interface SubRequest {
  id: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  dependsOn?: string[];
}

function parseRequests(body: unknown): SubRequest[] | string {
  const requests = (body as { requests?: unknown } | null)?.requests;
  if (!Array.isArray(requests)) return "Invalid batch payload: 'requests' must be an array.";
  if (requests.length === 0) return 'Invalid batch payload: the batch contains no requests.';
  if (requests.length > MAX_BATCH_REQUESTS) {
    return `Invalid batch payload: the number of requests (${requests.length}) exceeds the limit of ${MAX_BATCH_REQUESTS}.`;
  }
  const ids = new Set<string>();
  for (const r of requests as Partial<SubRequest>[]) {
    if (typeof r?.id !== 'string' || typeof r.method !== 'string' || typeof r.url !== 'string') {
      return "Invalid batch payload: every request needs 'id', 'method' and 'url'.";
    }
    if (ids.has(r.id)) return `Invalid batch payload: duplicate request id '${r.id}'.`;
    ids.add(r.id);
  }
  for (const r of requests as SubRequest[]) {
    for (const dep of r.dependsOn ?? []) {
      if (!ids.has(dep))
        return `Invalid batch payload: request '${r.id}' depends on unknown request '${dep}'.`;
    }
  }
  return requests as SubRequest[];
}

function subResponse(id: string, result: GraphResult): Record<string, unknown> {
  const headers: Record<string, string> = { 'Cache-Control': 'no-cache', ...result.headers };
  const out: Record<string, unknown> = { id, status: result.status, headers };
  if (result.body !== undefined) {
    // The Graph JS SDK only parses a sub-response body when this key is spelt exactly so.
    headers['Content-Type'] = 'application/json';
    out['body'] = result.body;
  }
  return out;
}

export function runBatch(deps: DispatchDeps, outer: GraphCall): GraphResult {
  const parsed = parseRequests(outer.body);
  if (typeof parsed === 'string') return badRequest(outer, parsed);

  const status = new Map<string, number>();
  const responses: Record<string, unknown>[] = [];
  const pending = [...parsed];
  // Dependants run after what they depend on, whatever the order in the payload.
  while (pending.length > 0) {
    const index = pending.findIndex((r) => (r.dependsOn ?? []).every((d) => status.has(d)));
    if (index < 0) return badRequest(outer, 'Invalid batch payload: circular dependsOn.');
    const req = pending.splice(index, 1)[0] as SubRequest;
    const call: GraphCall = {
      method: req.method.toUpperCase(),
      path: '',
      query: new URLSearchParams(),
      body: req.body,
      roles: outer.roles,
      appId: outer.appId,
      requestId: randomUUID(),
      clientRequestId: outer.clientRequestId,
      insideBatch: true,
    };
    let result: GraphResult;
    if (/^https?:/i.test(req.url)) {
      result = badRequest(
        call,
        'Invalid request URL: batch sub-requests take a URL relative to the version.',
      );
    } else if ((req.dependsOn ?? []).some((d) => (status.get(d) ?? 0) >= 400)) {
      result = graphError(
        call,
        424,
        'FailedDependency',
        'A request this request depends on failed.',
      );
    } else {
      const url = new URL(req.url.replace(/^\/?/, '/v1.0/'), 'https://batch.invalid');
      call.path = url.pathname;
      call.query = url.searchParams;
      result = dispatchGraph(deps, call);
      // A hang inside a batch surfaces the way Graph reports a sub-request timeout.
      if (result.hang)
        result = graphError(call, 504, 'GatewayTimeout', 'The sub-request timed out.');
    }
    status.set(req.id, result.status);
    responses.push(subResponse(req.id, result));
  }
  return { status: 200, body: { responses } };
}
