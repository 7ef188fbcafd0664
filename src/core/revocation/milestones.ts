// The short messages posted in the request's thread, so on-call staff can follow without opening
// the card. They name what happened and never carry secrets.
import type { RevocationRequest, Step } from '../model';
import { RUN_STALLED } from './run-watchdog';

export function approvedMessage(request: RevocationRequest): string {
  const names = request.approvals.map((a) => a.approver.name).join(' and ');
  if (request.kind === 'wipe') {
    return `Approved by ${names}. Wiping the Intune devices of ${request.target.displayName} now (${request.id}); each is erased when it next checks in.`;
  }
  if (request.kind === 'restore') {
    return `Approved by ${names}. Restoring what ${request.followsUp ?? 'the revocation'} disabled for ${request.target.displayName} now (${request.id}).`;
  }
  return `Approved by ${names}. Revoking all access of ${request.target.displayName} now (${request.id}).`;
}

export function stepFailedMessage(step: Step): string {
  return `Step failed: ${step.title}. ${step.error?.message ?? ''} The other steps carry on.`.trim();
}

export function finishedMessage(request: RevocationRequest): string {
  const failed = request.steps.filter((s) => s.status === 'failed');
  const done = request.steps.length - failed.length;
  const unchecked = uncheckedNote(request.steps);
  const stalled = failed.find((s) => s.error?.code === RUN_STALLED);
  if (stalled) {
    const notRun = request.steps.filter((s) => s.status === 'pending').length;
    return `Stopped for ${request.target.displayName} (${request.id}): ${stalled.error?.message ?? 'no progress'}. Failed: ${failed.map((s) => s.title).join('; ')}${notRun > 0 ? `; ${notRun} not run` : ''}. An approver can retry the failed steps from the card.${unchecked}`;
  }
  if (failed.length === 0 && unchecked !== '') {
    return `Done, not all verified, for ${request.target.displayName} (${request.id}): all ${done} steps finished.${unchecked}`;
  }
  if (failed.length === 0 && request.kind === 'restore') {
    return `Done: all ${done} restore steps succeeded for ${request.target.displayName} (${request.id}). The password was not restored.`;
  }
  if (failed.length === 0 && request.kind === 'wipe') {
    return `Done: Intune accepted the wipe of all ${done} devices of ${request.target.displayName} (${request.id}); each is erased when it next checks in.`;
  }
  if (failed.length === 0) {
    return `Done: all ${done} steps succeeded for ${request.target.displayName} (${request.id}). Tokens already issued may work for up to about an hour in apps without Continuous Access Evaluation.`;
  }
  return `Finished with failures for ${request.target.displayName} (${request.id}): ${done} of ${request.steps.length} steps succeeded; failed: ${failed.map((s) => s.title).join('; ')}. An approver can retry the failed steps from the card.${unchecked}`;
}

/** Names the succeeded steps whose outcome was not read back; empty when every one was. */
function uncheckedNote(steps: readonly Step[]): string {
  const succeeded = steps.filter((s) => s.status === 'succeeded');
  const unverifiable = succeeded.filter((s) => s.verification?.state === 'unverifiable');
  const noAccount = succeeded.filter((s) => s.verification?.state === 'no_account');
  return [
    unverifiable.length > 0
      ? ` Accepted but not verifiable: ${unverifiable.map((s) => s.title).join('; ')}.`
      : '',
    noAccount.length > 0
      ? ` No account found (nothing deprovisioned there): ${noAccount.map((s) => s.title).join('; ')}.`
      : '',
  ].join('');
}

export function expiredMessage(request: RevocationRequest): string {
  return `Request ${request.id} for ${request.target.displayName} expired without ${request.requiredApprovals} approvals. Nothing was changed.`;
}

export function rejectedMessage(request: RevocationRequest): string {
  return `Request ${request.id} for ${request.target.displayName} was rejected by ${request.rejection?.by.name ?? 'an approver'}. Nothing was changed.`;
}
