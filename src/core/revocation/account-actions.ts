// The steps that lock the user out at the source: the AD account disabled and its password reset
// twice, the Entra ID account disabled, its sessions revoked, and its registered devices disabled.
// Like every step they check, act only when needed, read back, and remember what they found.
import { DirectoryError } from '../errors';
import type { StepAction } from './step-context';
import { findOnPremAccount, requireOnPrem, verificationFailed } from './step-helpers';
import { verified } from './step-result';
import { revokeSessions } from './revoke-sessions';

export const ACCOUNT_ACTIONS = {
  'ad.disableAccount': async (context) => {
    const onPrem = requireOnPrem(context);
    const account = await findOnPremAccount(context, onPrem);
    await context.remember({ wasDisabled: account.disabled });
    if (!account.disabled) await context.retrying(() => onPrem.disableAccount(account.dn));
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
    await context.retrying(() => onPrem.resetPasswordToRandom(before.dn));
    const middle = await findOnPremAccount(context, onPrem);
    await context.retrying(() => onPrem.resetPasswordToRandom(before.dn));
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

  'entra.disableAccount': async ({ target, directory, retrying, remember }) => {
    const before = await retrying(() => directory.getUser(target.id));
    if (before) await remember({ wasEnabled: before.accountEnabled });
    await retrying(() => directory.disableUser(target.id));
    const user = await retrying(() => directory.getUser(target.id));
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

  'entra.disableDevice': async ({ step, directory, retrying, remember }) => {
    const subject = step.subject;
    if (!subject) throw new DirectoryError('misconfigured', `Step ${step.id} names no device.`);
    const device = await retrying(() => directory.getDevice(subject.id));
    // A deleted device cannot be used to sign in any more: nothing left to do.
    if (!device) return verified(`${subject.name} no longer exists`);
    await remember({ wasEnabled: device.accountEnabled });
    if (device.accountEnabled) await retrying(() => directory.disableDevice(subject.id));
    const after = await retrying(() => directory.getDevice(subject.id));
    if (after?.accountEnabled)
      throw verificationFailed(`Entra ID still shows ${subject.name} as enabled.`);
    return verified(
      device.accountEnabled ? `${subject.name} disabled` : `${subject.name} was already disabled`,
    );
  },
} satisfies Record<string, StepAction>;
