// The revocation plan: the steps each access path adds for a user, in the registry's order, as a
// small dependency graph (after Microsoft's emergency-revocation runbook for hybrid environments).
//
// `dependsOn` means "runs after", not "needs to have succeeded": in an emergency a failed step
// must not stop the others (a cloud disable is still worth doing when AD is unreachable).
import type { RevocationProfile, Step, TargetSnapshot } from '../model';
import type { GatheredPath } from '../paths/access-path';
import { withUniqueStepIds } from './step-ids';

export interface Plan {
  steps: Step[];
  notes: string[];
}

/** Pure: each gathered path plans in turn, seeing the ids the paths before it planned. */
export function buildPlan(
  target: TargetSnapshot,
  gathered: readonly GatheredPath[],
  profile: RevocationProfile = 'termination',
): Plan {
  const steps: Step[] = [];
  const notes: string[] = [];
  const planned = new Set<string>();
  for (const path of gathered) {
    const part = path.plan({ target, profile, planned });
    steps.push(...part.steps);
    notes.push(...part.notes);
    for (const step of part.steps) planned.add(step.id);
  }
  return { steps: withUniqueStepIds(steps), notes };
}

/** Steps whose predecessors have all finished, in plan order. */
export function readySteps(steps: Step[]): Step[] {
  const finished = new Set(
    steps.filter((s) => s.status === 'succeeded' || s.status === 'failed').map((s) => s.id),
  );
  return steps.filter((s) => s.status === 'pending' && s.dependsOn.every((id) => finished.has(id)));
}
