// Disabling many devices through JSON $batch: 20 PATCHes per round trip instead of 20. Each
// sub-response is judged on its own; a 429 inside the 200 is not retried by the SDK, so it is
// surfaced per device as throttled with its own Retry-After for withRetry (or the engine) to honour.
import type { DirectoryError } from '../../core/errors';
import { subOutcome, subResponsesById } from './batch-responses';
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

/** Maps each sub-response back to its device: undefined for success, else the error. */
export function readDisableDevicesResponse(
  deviceIds: readonly string[],
  response: unknown,
  op: GraphOperation,
  redact: Redactor,
): Map<string, DirectoryError | undefined> {
  const byId = subResponsesById(response);
  return new Map(
    deviceIds.map((deviceId, index) => {
      const outcome = subOutcome(op, byId.get(String(index + 1)), redact);
      return [deviceId, outcome.ok ? undefined : outcome.error] as const;
    }),
  );
}
