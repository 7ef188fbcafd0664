// What each kind of step does. Every action checks, acts and reads back, and is safe to run
// again: a run resumed after a crash repeats the step that was in flight.
import type { Directory, OnPremAccount, OnPremDirectory } from '../ports';
import type { Step, StepKind, TargetSnapshot } from '../model';
import { DirectoryError } from '../errors';

export interface StepContext {
  target: TargetSnapshot;
  step: Step;
  directory: Directory;
  onPrem: OnPremDirectory | undefined;
  /** Wraps one directory call in the retry policy; each call is retried on its own. */
  call<T>(operation: () => Promise<T>): Promise<T>;
}

/** Returns a short, secret-free description of what was done and verified. */
export type StepAction = (context: StepContext) => Promise<string>;

export const STEP_ACTIONS: Record<StepKind, StepAction> = {
  'ad.disableAccount': async (context) => {
    const onPrem = requireOnPrem(context);
    const account = await findOnPremAccount(context, onPrem);
    if (!account.disabled) await context.call(() => onPrem.disableAccount(account.dn));
    const after = await findOnPremAccount(context, onPrem);
    if (!after.disabled)
      throw verificationFailed(`AD still shows ${after.samAccountName} as enabled.`);
    return account.disabled
      ? `${after.samAccountName} was already disabled`
      : `${after.samAccountName} disabled (userAccountControl ${account.userAccountControl} → ${after.userAccountControl})`;
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
    return `password of ${after.samAccountName} reset twice; the values were never stored or shown`;
  },

  'entra.disableAccount': async ({ target, directory, call }) => {
    await call(() => directory.disableUser(target.id));
    const user = await call(() => directory.getUser(target.id));
    if (!user)
      throw new DirectoryError(
        'not_found',
        `${target.userPrincipalName} no longer exists in Entra ID.`,
      );
    if (user.accountEnabled)
      throw verificationFailed('Entra ID still shows the account as enabled.');
    return 'accountEnabled is false';
  },

  'entra.revokeSessions': async ({ target, directory, call }) => {
    const { validFrom } = await call(() => directory.revokeSignInSessions(target.id));
    return validFrom
      ? `refresh tokens and sessions issued before ${validFrom} are invalid`
      : 'refresh tokens and sessions revoked';
  },

  'entra.disableDevice': async ({ step, directory, call }) => {
    const subject = step.subject;
    if (!subject) throw new DirectoryError('misconfigured', `Step ${step.id} names no device.`);
    const device = await call(() => directory.getDevice(subject.id));
    // A deleted device cannot be used to sign in any more: nothing left to do.
    if (!device) return `${subject.name} no longer exists`;
    if (device.accountEnabled) await call(() => directory.disableDevice(subject.id));
    const after = await call(() => directory.getDevice(subject.id));
    if (after?.accountEnabled)
      throw verificationFailed(`Entra ID still shows ${subject.name} as enabled.`);
    return device.accountEnabled
      ? `${subject.name} disabled`
      : `${subject.name} was already disabled`;
  },
};

function requireOnPrem(context: StepContext): OnPremDirectory {
  if (!context.onPrem) {
    throw new DirectoryError(
      'misconfigured',
      'On-premises AD is not configured (LDAP_URL), but the plan has an AD step.',
    );
  }
  return context.onPrem;
}

async function findOnPremAccount(
  context: StepContext,
  onPrem: OnPremDirectory,
): Promise<OnPremAccount> {
  const { target } = context;
  const account = await context.call(() =>
    onPrem.findAccount({
      securityIdentifier: target.onPremisesSecurityIdentifier,
      samAccountName: target.onPremisesSamAccountName,
      userPrincipalName: target.onPremisesUserPrincipalName,
    }),
  );
  if (!account) {
    throw new DirectoryError(
      'not_found',
      `No AD account matches ${target.onPremisesSamAccountName ?? target.onPremisesSecurityIdentifier ?? target.userPrincipalName}.`,
      { advice: 'Check LDAP_BASE_DN covers the OU that holds this user.' },
    );
  }
  return account;
}

function verificationFailed(message: string): DirectoryError {
  return new DirectoryError('rejected', `Verification failed: ${message}`, {
    code: 'VerificationFailed',
  });
}
