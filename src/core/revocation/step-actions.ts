// What each kind of step does: the registry the step runner looks actions up in. Every action
// checks, acts and reads back, and is safe to run again: a run resumed after a crash repeats the
// step that was in flight. Each result says whether the read-back confirmed it (verified), could
// not (unverifiable, with why), or found no account. The actions live in their own files, which
// import only the shared types (step-context.ts) and helpers (step-helpers.ts), never this one.
import type { StepKind } from '../model';
import type { StepAction } from './step-context';
import { ACCOUNT_ACTIONS } from './account-actions';
import { CONTAINMENT_ACTIONS } from './containment-actions';
import { RESTORE_ACTIONS } from './restore-actions';
import { APP_ACTIONS } from './app-actions';

export const STEP_ACTIONS: Record<StepKind, StepAction> = {
  ...CONTAINMENT_ACTIONS,
  ...RESTORE_ACTIONS,
  ...APP_ACTIONS,
  ...ACCOUNT_ACTIONS,
};
