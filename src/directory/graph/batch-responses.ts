// Reading a JSON $batch answer: each sub-response by its id, judged on its own like the single
// call it stands for. A 429 inside the batch's 200 is that request's throttled error, with its own
// Retry-After, for Revoke's retry layer to honour.
import type { DirectoryError } from '../../core/errors';
import { fromGraphStatus, parseRetryAfter } from './graph-errors';
import { asJson, type Json } from './mapping';
import type { GraphOperation } from './permissions';
import type { Redactor } from './redact';

/** The sub-responses of a $batch answer, by the id their request was sent with. */
export function subResponsesById(response: unknown): Map<string, Json> {
  const byId = new Map<string, Json>();
  const responses = asJson(response)['responses'];
  for (const item of Array.isArray(responses) ? responses : []) {
    const sub = asJson(item);
    if (typeof sub['id'] === 'string') byId.set(sub['id'], sub);
  }
  return byId;
}

export type SubOutcome = { ok: true; body: Json } | { ok: false; error: DirectoryError };

/** A 2xx with its body, or the error the single call would have thrown (a missing answer: 502). */
export function subOutcome(
  op: GraphOperation,
  sub: Json | undefined,
  redact: Redactor,
): SubOutcome {
  const status = typeof sub?.['status'] === 'number' ? sub['status'] : undefined;
  if (sub === undefined || status === undefined) {
    return {
      ok: false,
      error: fromGraphStatus(
        op,
        {
          status: 502,
          code: 'MissingBatchResponse',
          message: 'The $batch response had no answer for this request.',
        },
        redact,
      ),
    };
  }
  if (status >= 200 && status < 300) return { ok: true, body: asJson(sub['body']) };
  const headers = asJson(sub['headers']);
  const error = asJson(asJson(sub['body'])['error']);
  const inner = asJson(error['innerError']);
  const requestId = inner['request-id'] ?? headerValue(headers, 'request-id');
  return {
    ok: false,
    error: fromGraphStatus(
      op,
      {
        status,
        code: typeof error['code'] === 'string' ? error['code'] : undefined,
        message: typeof error['message'] === 'string' ? error['message'] : undefined,
        requestId: typeof requestId === 'string' ? requestId : undefined,
        retryAfterMs: parseRetryAfter(headerValue(headers, 'retry-after')),
        cause: sub,
      },
      redact,
    ),
  };
}

function headerValue(headers: Json, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}
