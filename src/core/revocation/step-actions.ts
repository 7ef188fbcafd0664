// What each kind of step does. Every action checks, acts and reads back, and is safe to run
// again: a run resumed after a crash repeats the step that was in flight. Each result says whether
// the read-back confirmed it (verified), could not (unverifiable, with why), or found no account.
import type { Directory, OnPremDirectory } from '../ports';
import type { ContainmentDirectory, OnPremRestore } from '../containment-ports';
import type { AppProvisioning, ScimApps } from '../app-ports';
import type { Step, StepFacts, StepKind, TargetSnapshot } from '../model';
import { DirectoryError } from '../errors';
import { findOnPremAccount, requireOnPrem, verificationFailed } from './step-helpers';
import { CONTAINMENT_ACTIONS } from './containment-actions';
import { RESTORE_ACTIONS } from './restore-actions';
import { APP_ACTIONS } from './app-actions';
import { verified, type StepResult } from './step-result';
import { revokeSessions } from './revoke-sessions';

export interface StepContext {
  target: TargetSnapshot;
  step: Step;
  directory: Directory;
  onPrem: OnPremDirectory | undefined;
  /** Absent when the deployment's directory cannot contain or restore (then those steps fail). */
  containment?: ContainmentDirectory;
  onPremRestore?: OnPremRestore;
  /** Absent when no provisioned or SCIM app is configured (then those steps fail). */
  provisioning?: AppProvisioning;
  scim?: ScimApps;
  /** Wraps one directory call in the retry policy; each call is retried on its own. */
  call<T>(operation: () => Promise<T>): Promise<T>;
  /**
   * Saves what the step saw before acting. Keys already saved are kept, so a step repeated after
   * a crash (which sees its own earlier change) cannot overwrite the true prior state.
   */
  remember(facts: StepFacts): Promise<void>;
}

/** Returns a short, secret-free description of what was done, and how far it was checked. */
export type StepAction = (context: StepContext) => Promise<StepResult>;

export const STEP_ACTIONS: Record<StepKind, StepAction> = {
  ...CONTAINMENT_ACTIONS,
  ...RESTORE_ACTIONS,
  ...APP_ACTIONS,

  'ad.disableAccount': async (context) => {
    const onPrem = requireOnPrem(context);
    const account = await findOnPremAccount(context, onPrem);
    await context.remember({ wasDisabled: account.disabled });
    if (!account.disabled) await context.call(() => onPrem.disableAccount(account.dn));
    const after = await findOnPremAccount(context, onPrem);
    if (!after.disabled)
      throw verificationFailed(`AD still shows ${after.samAccountName} as enabled.`);
    return verified(
      account.disabled
        ? `${after.samAccountName} was already disabled`
        : `${after.samAccountName} disabled (userAccountControl ${account.userAccountControl} → ${after.userAccountControl})`,
    );
  },

  'ad.resetPasswordTwice': async (context) => {
    const onPrem = requireOnPrem(context);
    const before = await findOnPremAccount(context, onPrem);
    // Two separate writes: AD keeps accepting the previous password for a while after a reset.
    await context.call(() => onPrem.resetPasswordToRandom(before.dn));
    const middle = await findOnPremAccount(context, onPrem);
    await context.call(() => onPrem.resetPasswordToRandom(before.dn));
    const after = await findOnPremAccount(context, onPrem);
    if (middle.pwdLastSet === before.pwdLastSet || after.pwdLastSet === middle.pwdLastSet) {
      throw verificationFailed(
        `AD did not record both password changes for ${after.samAccountName}.`,
      );
    }
    return verified(
      `password of ${after.samAccountName} reset twice (pwdLastSet moved twice); the values were never stored or shown`,
    );
  },

  'entra.disableAccount': async ({ target, directory, call, remember }) => {
    const before = await call(() => directory.getUser(target.id));
    if (before) await remember({ wasEnabled: before.accountEnabled });
    await call(() => directory.disableUser(target.id));
    const user = await call(() => directory.getUser(target.id));
    if (!user)
      throw new DirectoryError(
        'not_found',
        `${target.userPrincipalName} no longer exists in Entra ID.`,
      );
    if (user.accountEnabled)
      throw verificationFailed('Entra ID still shows the account as enabled.');
    return verified('accountEnabled is false');
  },

  'entra.revokeSessions': revokeSessions,

  'entra.disableDevice': async ({ step, directory, call, remember }) => {
    const subject = step.subject;
    if (!subject) throw new DirectoryError('misconfigured', `Step ${step.id} names no device.`);
    const device = await call(() => directory.getDevice(subject.id));
    // A deleted device cannot be used to sign in any more: nothing left to do.
    if (!device) return verified(`${subject.name} no longer exists`);
    await remember({ wasEnabled: device.accountEnabled });
    if (device.accountEnabled) await call(() => directory.disableDevice(subject.id));
    const after = await call(() => directory.getDevice(subject.id));
    if (after?.accountEnabled)
      throw verificationFailed(`Entra ID still shows ${subject.name} as enabled.`);
    return verified(
      device.accountEnabled ? `${subject.name} disabled` : `${subject.name} was already disabled`,
    );
  },
};
