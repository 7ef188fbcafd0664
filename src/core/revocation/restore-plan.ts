// The plan of a restore after a false alarm: from the prior state the revocation's steps recorded,
// exactly what it disabled is enabled again, and nothing else. What cannot be put back (the
// password, removed MFA methods and consents, Intune retire) is said in the notes.
import type { RevocationRequest, Step, StepKind } from '../model';
import { withUniqueStepIds } from './step-ids';

export const RESTORE_STEP_IDS = {
  adEnable: 'restore-ad-enable',
  entraEnable: 'restore-entra-enable',
  containmentGroup: 'restore-containment-group',
} as const;

export function buildRestorePlan(original: RevocationRequest): { steps: Step[]; notes: string[] } {
  const steps: Step[] = [];
  const notes: string[] = [];
  const ad = original.steps.find((s) => s.kind === 'ad.disableAccount');
  if (ad && ad.facts?.['wasDisabled'] === false) {
    steps.push(
      pending(
        RESTORE_STEP_IDS.adEnable,
        'restore.enableAdAccount',
        'Enable the on-premises AD account',
        [],
      ),
    );
  } else if (ad?.facts?.['wasDisabled'] === true) {
    notes.push('The AD account was already disabled before the revocation: it stays disabled.');
  }
  // After AD: the next directory sync would otherwise disable the cloud account again.
  const afterAd = steps.length > 0 ? [RESTORE_STEP_IDS.adEnable] : [];
  const entra = original.steps.find((s) => s.kind === 'entra.disableAccount');
  if (entra?.facts?.['wasEnabled'] === true) {
    steps.push(
      pending(
        RESTORE_STEP_IDS.entraEnable,
        'restore.enableEntraAccount',
        'Enable the Entra ID account',
        afterAd,
      ),
    );
  } else if (entra?.facts?.['wasEnabled'] === false) {
    notes.push(
      'The Entra ID account was already disabled before the revocation: it stays disabled.',
    );
  }
  const keptDisabled: string[] = [];
  for (const device of original.steps.filter((s) => s.kind === 'entra.disableDevice')) {
    const name = device.subject?.name ?? device.id;
    if (device.facts?.['wasEnabled'] === true && device.subject) {
      steps.push({
        ...pending(
          `restore-device-${device.subject.id}`,
          'restore.enableDevice',
          `Enable device ${name}`,
          [],
        ),
        subject: { ...device.subject },
      });
    } else if (device.facts?.['wasEnabled'] === false) {
      keptDisabled.push(name);
    }
  }
  if (keptDisabled.length > 0)
    notes.push(
      `Already disabled before the revocation, so they stay disabled: ${keptDisabled.join(', ')}.`,
    );
  const group = original.steps.find((s) => s.kind === 'entra.addToContainmentGroup');
  if (group?.facts?.['wasMember'] === false && group.subject) {
    steps.push({
      ...pending(
        RESTORE_STEP_IDS.containmentGroup,
        'restore.removeFromContainmentGroup',
        `Remove from the containment group ${group.subject.name}`,
        [],
      ),
      subject: { ...group.subject },
    });
  }
  notes.push(...notRestored(original));
  return { steps: withUniqueStepIds(steps), notes };
}

function notRestored(original: RevocationRequest): string[] {
  const notes: string[] = [];
  const ran = (kind: StepKind) =>
    original.steps.some((s) => s.kind === kind && s.status === 'succeeded');
  if (ran('ad.resetPasswordTwice'))
    notes.push('The password is not restored: the user sets a new one with the help desk.');
  if (ran('entra.revokeSessions'))
    notes.push('Sessions are not restored: the user signs in again.');
  if (ran('entra.removeAuthMethod'))
    notes.push('Removed MFA methods are not restored: the user registers them again.');
  if (ran('entra.removeOAuthGrant'))
    notes.push('Removed consents are not restored: the user consents again when the app asks.');
  if (ran('entra.confirmCompromised'))
    notes.push(
      'The user risk stays confirmed compromised: dismiss it in Identity Protection if it was a false alarm.',
    );
  if (ran('intune.retireDevice'))
    notes.push('Retired devices are not restored: they must enrol in Intune again.');
  notes.push(...appsNotRestored(original));
  return notes;
}

/** Revoke writes nothing back to an app: which of them stay deprovisioned, and until when. */
function appsNotRestored(original: RevocationRequest): string[] {
  const names = (kind: StepKind) =>
    original.steps
      .filter((s) => s.kind === kind && s.status === 'succeeded')
      .map((s) => s.subject?.name ?? s.id);
  const notes: string[] = [];
  const provisioned = names('app.provisionOnDemand');
  if (provisioned.length > 0)
    notes.push(
      `Not re-activated by this restore: ${provisioned.join(', ')}. Entra ID provisioning re-activates the user there at its next cycle once the account is enabled (or provision on demand).`,
    );
  const scim = names('app.scimDeactivate');
  if (scim.length > 0)
    notes.push(
      `Stay deactivated: ${scim.join(', ')} (SCIM). Re-activate the user in each app by hand.`,
    );
  return notes;
}

function pending(id: string, kind: StepKind, title: string, dependsOn: string[]): Step {
  return { id, kind, title, dependsOn, status: 'pending', attempts: 0 };
}
