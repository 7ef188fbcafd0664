// Fencing of step writes. After a lease takeover two runs may hold the same step for a moment: the
// stale one must neither start a step the new owner already took nor overwrite its results. Each
// task remembers the attempt it saved last, and a write applies only while the step still shows it.
import type { Step } from '../model';

/** The attempt number a step task saved last; it changes with each retry the task saves. */
export interface StepClaim {
  attempts: number;
}

/** Whether `step` is still the attempt this task claimed, so the task may write to it. */
export function holdsClaim(step: Step, claim: StepClaim): boolean {
  return (
    (step.status === 'running' || step.status === 'retrying') && step.attempts === claim.attempts
  );
}

/** Thrown inside a step whose claim another run took over: it stops before acting further. */
export class StepSuperseded extends Error {
  constructor() {
    super('step taken over by another run');
    this.name = 'StepSuperseded';
  }
}

/**
 * A step's state could not be saved (store down, too many concurrent writers). Not a failure of
 * the step: it stays as last saved and the next run resumes it.
 */
export class StepSaveFailed extends Error {
  constructor(cause: unknown) {
    super('step state could not be saved', { cause });
    this.name = 'StepSaveFailed';
  }
}
