// One step, one id. The engine, the fencing of step writes, the card and the audit trail all find
// a step by its id: two steps with one id would run as one while the card shows two (the second
// only mirroring the first). Plans are checked where they are built, so such a plan never exists.
import type { Step } from '../model';

/** A plan that would hold two steps with the same id: a bug or a configuration start-up missed. */
export class DuplicateStepIdError extends Error {
  constructor(
    readonly stepId: string,
    readonly titles: readonly [string, string],
  ) {
    super(
      `The plan would have two steps with the id ${stepId} ("${titles[0]}" and "${titles[1]}"); no request was made.`,
    );
    this.name = 'DuplicateStepIdError';
  }
}

/** Returns the steps when every id is unique; throws DuplicateStepIdError otherwise. */
export function withUniqueStepIds<T extends Pick<Step, 'id' | 'title'>>(steps: T[]): T[] {
  const seen = new Map<string, string>();
  for (const step of steps) {
    const earlier = seen.get(step.id);
    if (earlier !== undefined) throw new DuplicateStepIdError(step.id, [earlier, step.title]);
    seen.set(step.id, step.title);
  }
  return steps;
}
