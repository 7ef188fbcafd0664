// Where a step-up proof meets a decision: which clicks need one, and how the proof is kept with
// the approval or rejection it made count.
import type { CardAction } from '../action-result';
import type { Decision } from '../approval/policy';
import type { Approval, ApprovalProof, Person, Rejection } from '../model';
import type { StepUpMode } from './step-up-proof';

/** Approve and Reject are decisions; a retry re-runs what two people already approved. */
export function needsProof(
  mode: StepUpMode | undefined,
  action: CardAction | 'approve' | 'reject' | 'retry',
): boolean {
  return (mode === 'required' || mode === 'simulated') && action !== 'retry';
}

export const PROOF_NEEDED_MESSAGE =
  'This decision needs a fresh sign-in with MFA first. Nothing was changed; click again to sign in.';

/** The accepted decision with the clicker's proof attached to their approval or rejection. */
export function withProof(decision: Decision, person: Person, proof: ApprovalProof): Decision {
  if (!decision.ok) return decision;
  return { ...decision, request: attachProof(decision.request, person, proof) };
}

/** A request or batch with `person`'s new approval or rejection carrying `proof`. */
export function attachProof<T extends { approvals: Approval[]; rejection?: Rejection }>(
  decided: T,
  person: Person,
  proof: ApprovalProof,
): T {
  const stepUp: ApprovalProof = {
    method: proof.method,
    authTime: proof.authTime,
    tokenId: proof.tokenId,
  };
  return {
    ...decided,
    approvals: decided.approvals.map((approval) =>
      approval.approver.id === person.id && approval.stepUp === undefined
        ? { ...approval, stepUp }
        : approval,
    ),
    ...(decided.rejection && decided.rejection.by.id === person.id
      ? { rejection: { ...decided.rejection, stepUp } }
      : {}),
  };
}

/** The audit fields of a proof: what was proven, never the token. */
export function proofDetails(proof: ApprovalProof | undefined): Record<string, string> {
  if (!proof) return {};
  return {
    stepUpMethod: proof.method,
    stepUpAuthTime: proof.authTime,
    stepUpTokenId: proof.tokenId,
  };
}
