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
  const runsBefore: Array<{ step: string; before: string }> = [];
  for (const path of gathered) {
    const part = path.plan({ target, profile, planned });
    steps.push(...part.steps);
    notes.push(...part.notes);
    runsBefore.push(...(part.runsBefore ?? []));
    for (const step of part.steps) planned.add(step.id);
  }
  const ordered = withRunsBefore(withUniqueStepIds(steps), runsBefore);
  assertAcyclic(ordered);
  return { steps: ordered, notes };
}

/** Adds each "runs before" a path asked for to the later step's `dependsOn`. */
function withRunsBefore(
  steps: Step[],
  runsBefore: ReadonlyArray<{ step: string; before: string }>,
): Step[] {
  const ids = new Set(steps.map((s) => s.id));
  const waitsFor = new Map<string, string[]>();
  for (const { step, before } of runsBefore) {
    if (!ids.has(step) || !ids.has(before)) continue;
    waitsFor.set(before, [...(waitsFor.get(before) ?? []), step]);
  }
  return steps.map((s) => {
    const more = (waitsFor.get(s.id) ?? []).filter((id) => !s.dependsOn.includes(id));
    return more.length === 0 ? s : { ...s, dependsOn: [...s.dependsOn, ...more] };
  });
}

/** Steps that wait for each other would never start: a plan like that is a bug, never a run. */
export class PlanCycleError extends Error {
  constructor(readonly stepIds: readonly string[]) {
    super(
      `The plan's steps wait for each other in a circle (${stepIds.join(' → ')}); no request was made.`,
    );
    this.name = 'PlanCycleError';
  }
}

function assertAcyclic(steps: readonly Step[]): void {
  const byId = new Map(steps.map((s) => [s.id, s] as const));
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, trail: string[]): void => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting')
      throw new PlanCycleError([...trail.slice(trail.indexOf(id)), id]);
    state.set(id, 'visiting');
    for (const next of byId.get(id)?.dependsOn ?? [])
      if (byId.has(next)) visit(next, [...trail, id]);
    state.set(id, 'done');
  };
  for (const step of steps) visit(step.id, []);
}

/** Steps whose predecessors have all finished, in plan order. */
export function readySteps(steps: Step[]): Step[] {
  const finished = new Set(
    steps.filter((s) => s.status === 'succeeded' || s.status === 'failed').map((s) => s.id),
  );
  return steps.filter((s) => s.status === 'pending' && s.dependsOn.every((id) => finished.has(id)));
}
