// What a step action is given and what it is: the types every action file and the step runner
// share. They live apart from the actions and their registry so that an action file depends on
// these types, never on the registry that lists it.
import type { EntraDirectory, OnPremDirectory } from '../ports';
import type { ContainmentDirectory, OnPremRestore } from '../containment-ports';
import type { AppProvisioning, ScimApps } from '../app-ports';
import type { Step, StepFacts, TargetSnapshot } from '../model';
import type { StepResult } from './step-result';

export interface StepContext {
  target: TargetSnapshot;
  step: Step;
  directory: EntraDirectory;
  onPrem: OnPremDirectory | undefined;
  /** Absent when the deployment's directory cannot contain or restore (then those steps fail). */
  containment?: ContainmentDirectory;
  onPremRestore?: OnPremRestore;
  /** Absent when no provisioned or SCIM app is configured (then those steps fail). */
  provisioning?: AppProvisioning;
  scim?: ScimApps;
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
