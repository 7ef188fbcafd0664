// What a step action is given and what it is: the types every action and the step runner share.
// They live apart from the actions and the registry of paths so that an action depends on these
// types, never on the registry that lists it.
import type { RevocationRequest, Step, StepFacts, TargetSnapshot } from '../model';
import type { PathPorts } from '../paths/path-ports';
import type { StepResult } from './step-result';

/** A port a step needs is absent when the deployment lacks it: then the step fails, saying so. */
export interface StepContext extends PathPorts {
  target: TargetSnapshot;
  step: Step;
  /**
   * The request as it stood when this step started: what the steps it runs after did (a Shared
   * Signals step says only what happened). Read-only; an action changes nothing but its own step.
   */
  request?: Readonly<RevocationRequest>;
  /** Wraps one directory call in the retry policy; each call is retried on its own. */
  retrying<T>(operation: () => Promise<T>): Promise<T>;
  /**
   * Saves what the step saw before acting. Keys already saved are kept, so a step repeated after
   * a crash (which sees its own earlier change) cannot overwrite the true prior state.
   */
  remember(facts: StepFacts): Promise<void>;
}

/** Returns a short, secret-free description of what was done, and how far it was checked. */
export type StepAction = (context: StepContext) => Promise<StepResult>;
