// When a finished revocation's accounts are read again. Only a revocation that disabled an
// account has something to drift back; restores and wipes enable or touch nothing to watch.
import type { DriftCheck, RevocationRequest } from '../model';
import type { RegisteredPath } from '../paths/access-path';
import { ACCESS_PATHS } from '../paths/registry';

/**
 * The drift check a run that just finished should carry: a fresh one, the one it has (a retry run
 * finishing again moves a check that has not run yet, and never repeats one that has), or none.
 */
export function driftCheckFor(
  request: RevocationRequest,
  finishedAt: Date,
  minutes: number | undefined,
  paths: readonly RegisteredPath[] = ACCESS_PATHS,
): DriftCheck | undefined {
  if (request.driftCheck?.checkedAt) return request.driftCheck;
  if (minutes === undefined || minutes <= 0) return request.driftCheck;
  // A batch's children have no thread of their own to alert in.
  if ((request.kind ?? 'revocation') !== 'revocation' || request.batchId !== undefined)
    return request.driftCheck;
  const watchedKinds = new Set(paths.flatMap((path) => (path.drift ? [path.drift.step] : [])));
  const watched = request.steps.some((s) => watchedKinds.has(s.kind) && s.status === 'succeeded');
  if (!watched) return request.driftCheck;
  return { dueAt: new Date(finishedAt.getTime() + minutes * 60_000).toISOString() };
}

/** Due, not yet done: what the sweep picks up. */
export function isDriftCheckDue(request: RevocationRequest, now: Date): boolean {
  const check = request.driftCheck;
  return (
    check !== undefined && check.checkedAt === undefined && Date.parse(check.dueAt) <= now.getTime()
  );
}
