// The plan of a restore after a false alarm: from the prior state the revocation's steps recorded,
// each access path enables again exactly what it disabled, and nothing else, and says what it
// cannot put back (the password, removed MFA methods and consents, Intune retire).
import type { RevocationRequest, Step } from '../model';
import type { RegisteredPath } from '../paths/access-path';
import { ACCESS_PATHS } from '../paths/registry';
import { withUniqueStepIds } from './step-ids';

export function buildRestorePlan(
  original: RevocationRequest,
  paths: readonly RegisteredPath[] = ACCESS_PATHS,
): { steps: Step[]; notes: string[] } {
  const steps: Step[] = [];
  const notes: string[] = [];
  const notRestored: string[] = [];
  const planned = new Set<string>();
  for (const path of paths) {
    if (!path.restore) continue;
    const part = path.restore(original, { planned });
    steps.push(...part.steps);
    notes.push(...part.notes);
    notRestored.push(...part.notRestored);
    for (const step of part.steps) planned.add(step.id);
  }
  return { steps: withUniqueStepIds(steps), notes: [...notes, ...notRestored] };
}
