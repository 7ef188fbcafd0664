// What a step action returns: its outcome and how far that outcome was checked. Each action says
// which of the three it is, so a step can never claim more than it read back.
import type { StepVerification } from '../model';

export interface StepResult {
  /** A short, secret-free description of what was done and what was seen. */
  outcome: string;
  verification: StepVerification;
}

/** The change (or the state already there) was read back from the service. */
export function verified(outcome: string): StepResult {
  return { outcome, verification: { state: 'verified' } };
}

/** The service accepted the change, but no read-back could confirm it; `why` says what is missing. */
export function unverifiable(outcome: string, why: string): StepResult {
  return { outcome, verification: { state: 'unverifiable', why } };
}

/** Nothing to act on was found where the step looked; never counted as done there. */
export function noAccount(outcome: string, why: string): StepResult {
  return { outcome, verification: { state: 'no_account', why } };
}
