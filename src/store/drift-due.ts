// The drift check a request is waiting for, as a column the sweep can query by index instead of
// reading every finished request on each sweep.
import type { RevocationRequest } from '../core/model';

/** ISO time the pending drift check falls due, or null when none is pending. */
export function driftDueAt(request: RevocationRequest): string | null {
  const check = request.driftCheck;
  if (check === undefined || check.checkedAt !== undefined) return null;
  const time = new Date(check.dueAt);
  return Number.isNaN(time.getTime()) ? null : time.toISOString();
}
