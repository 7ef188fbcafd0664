// Where a batch stands, computed from its children alone, so a restart or another instance sees
// the same numbers without any counter to keep in step.
import { isFinal, type RevocationRequest } from '../model';
import type { BatchEta } from './batch-eta';

export type ChildOutcome =
  'fully' | 'partially' | 'not_at_all' | 'in_progress' | 'waiting' | 'closed';

export interface ChildProgress {
  requestId: string;
  userPrincipalName: string;
  displayName: string;
  outcome: ChildOutcome;
  failedSteps: number;
  /** Succeeded steps that could not be read back, or found no account to act on. */
  unverifiedSteps: number;
  steps: number;
}

export interface BatchProgress {
  total: number;
  fully: number;
  /** Of the fully revoked: those with a step that succeeded without being read back. */
  fullyButNotAllVerified: number;
  partially: number;
  notAtAll: number;
  inProgress: number;
  /** Children still waiting for the batch's approval. */
  waiting: number;
  /** Rejected or expired with the batch. */
  closed: number;
  stepsDone: number;
  stepsTotal: number;
  children: ChildProgress[];
  /** While the batch runs: how long it still needs at the rate measured so far. */
  eta?: BatchEta;
}

export function childOutcome(child: RevocationRequest): ChildOutcome {
  switch (child.status) {
    case 'pending':
      return 'waiting';
    case 'running':
      return 'in_progress';
    case 'rejected':
    case 'expired':
      return 'closed';
    case 'completed':
      return 'fully';
    case 'completed_with_failures': {
      const succeeded = child.steps.filter((s) => s.status === 'succeeded').length;
      return succeeded === 0 ? 'not_at_all' : 'partially';
    }
  }
  return isFinal(child.status) ? 'closed' : 'in_progress';
}

export function batchProgress(children: readonly RevocationRequest[]): BatchProgress {
  const progress: BatchProgress = {
    total: children.length,
    fully: 0,
    fullyButNotAllVerified: 0,
    partially: 0,
    notAtAll: 0,
    inProgress: 0,
    waiting: 0,
    closed: 0,
    stepsDone: 0,
    stepsTotal: 0,
    children: [],
  };
  for (const child of children) {
    const outcome = childOutcome(child);
    const failedSteps = child.steps.filter((s) => s.status === 'failed').length;
    // Steps saved before verification was recorded carry none; only a stated doubt counts.
    const unverifiedSteps = child.steps.filter(
      (s) => s.status === 'succeeded' && s.verification && s.verification.state !== 'verified',
    ).length;
    const done = child.steps.filter((s) => s.status === 'succeeded' || s.status === 'failed');
    progress.stepsDone += done.length;
    progress.stepsTotal += child.steps.length;
    progress.children.push({
      requestId: child.id,
      userPrincipalName: child.target.userPrincipalName,
      displayName: child.target.displayName,
      outcome,
      failedSteps,
      unverifiedSteps,
      steps: child.steps.length,
    });
    if (outcome === 'fully') {
      progress.fully++;
      if (unverifiedSteps > 0) progress.fullyButNotAllVerified++;
    } else if (outcome === 'partially') progress.partially++;
    else if (outcome === 'not_at_all') progress.notAtAll++;
    else if (outcome === 'in_progress') progress.inProgress++;
    else if (outcome === 'waiting') progress.waiting++;
    else progress.closed++;
  }
  return progress;
}

/** Every child has finished its run (whatever the outcome). */
export function allFinished(progress: BatchProgress): boolean {
  return progress.inProgress === 0 && progress.waiting === 0;
}
