// Disabling many devices through JSON $batch: 20 PATCHes per round trip instead of 20. Each
// sub-response is judged on its own; a 429 inside the 200 is not retried by the SDK, so it is
// surfaced per device as throttled with its own Retry-After for withRetry (or the engine) to honour.
import type { DirectoryError } from '../../core/errors';
import { fromGraphStatus, parseRetryAfter } from './graph-errors';
import { asJson, type Json } from './mapping';
import type { GraphOperation } from './permissions';
import type { Redactor } from './redact';

export const MAX_BATCH_REQUESTS = 20;

export interface BatchRequest {
  id: string;
  method: 'PATCH';
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

/** Graph wants sub-request URLs relative to the version: `/devices/{id}`, not `/v1.0/devices/{id}`. */
export function disableDevicesBatch(deviceIds: readonly string[]): { requests: BatchRequest[] } {
  return {
    requests: deviceIds.map((id, index) => ({
      id: String(index + 1),
      method: 'PATCH',
      url: `/devices/${encodeURIComponent(id)}`,
      headers: { 'Content-Type': 'application/json' },
      body: { accountEnabled: false },
    })),
  };
}

function headerValue(headers: Json, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

/** Maps each sub-response back to its device: undefined for success, else the error. */
export function readDisableDevicesResponse(
  deviceIds: readonly string[],
  response: unknown,
  op: GraphOperation,
  redact: Redactor,
): Map<string, DirectoryError | undefined> {
  const results = new Map<string, DirectoryError | undefined>();
  const responses = asJson(response)['responses'];
  const byId = new Map<string, Json>();
  if (Array.isArray(responses)) {
    for (const item of responses) {
      const sub = asJson(item);
      if (typeof sub['id'] === 'string') byId.set(sub['id'], sub);
    }
  }
  deviceIds.forEach((deviceId, index) => {
    const sub = byId.get(String(index + 1));
    const status = typeof sub?.['status'] === 'number' ? sub['status'] : undefined;
    if (sub === undefined || status === undefined) {
      results.set(
        deviceId,
        fromGraphStatus(
          op,
          {
            status: 502,
            code: 'MissingBatchResponse',
            message: 'The $batch response had no answer for this device.',
          },
          redact,
        ),
      );
      return;
    }
    if (status >= 200 && status < 300) {
      results.set(deviceId, undefined);
      return;
    }
    const headers = asJson(sub['headers']);
    const error = asJson(asJson(sub['body'])['error']);
    const inner = asJson(error['innerError']);
    const requestId = inner['request-id'] ?? headerValue(headers, 'request-id');
    results.set(
      deviceId,
      fromGraphStatus(
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
    );
  });
  return results;
}
