// On-premises Active Directory: the account disabled, then its password reset twice to random
// values (the previous hash is then out of AD's history, so pass-the-hash stops). It goes first:
// directory sync would otherwise re-enable the cloud account from AD.
import { DirectoryError } from '../errors';
import type { StepAction } from '../revocation/step-context';
import { findOnPremAccount, requireOnPrem, verificationFailed } from '../revocation/step-helpers';
import { verified } from '../revocation/step-result';
import {
  pendingStep,
  type AccessPath,
  type PlanPart,
  type ResidualLine,
  type RestorePart,
} from './access-path';
import type { RevocationRequest } from '../model';
import { addMinutes, clock, ranKind, stepOfKind, succeeded } from './residual-helpers';

export const AD_KINDS = {
  disable: 'ad.disableAccount',
  resetPassword: 'ad.resetPasswordTwice',
  enable: 'restore.enableAdAccount',
} as const;

export const AD_STEP_IDS = {
  disable: 'ad-disable',
  resetPassword: 'ad-reset-password',
  enable: 'restore-ad-enable',
} as const;

interface OnPremInventory {
  /** Whether an AD connection is configured (LDAP_URL). */
  configured: boolean;
}

const actions = {
  [AD_KINDS.disable]: async (context) => {
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

  [AD_KINDS.resetPassword]: async (context) => {
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

  [AD_KINDS.enable]: async (context) => {
    const onPrem = requireOnPrem(context);
    const restore = context.onPremRestore;
    if (!restore)
      throw new DirectoryError('misconfigured', 'This AD connection cannot enable accounts.');
    const account = await findOnPremAccount(context, onPrem);
    if (account.disabled) await context.retrying(() => restore.enableAccount(account.dn));
    const after = await findOnPremAccount(context, onPrem);
    if (after.disabled)
      throw verificationFailed(`AD still shows ${after.samAccountName} as disabled.`);
    return verified(
      account.disabled
        ? `${after.samAccountName} enabled (userAccountControl ${account.userAccountControl} → ${after.userAccountControl})`
        : `${after.samAccountName} was already enabled`,
    );
  },
} satisfies Record<string, StepAction>;

export const onPremAdPath: AccessPath<OnPremInventory> = {
  name: 'on-prem-ad',
  title: 'On-premises AD account and password',
  actions,

  gather: ({ settings }) => Promise.resolve({ configured: settings.onPremConfigured }),

  plan({ configured }, { target }): PlanPart {
    if (!target.onPremisesSynced) return { steps: [], notes: [] };
    if (!configured) {
      return {
        steps: [],
        notes: [
          'This account is synced from on-premises AD, but no AD connection is configured: disable it in AD too, or the next directory sync may re-enable it.',
        ],
      };
    }
    return {
      steps: [
        pendingStep(AD_STEP_IDS.disable, AD_KINDS.disable, 'Disable the on-premises AD account'),
        // Twice, so the previous password's hash (usable for pass-the-hash) is out of AD's history.
        pendingStep(
          AD_STEP_IDS.resetPassword,
          AD_KINDS.resetPassword,
          'Reset the AD password twice to random values',
          [AD_STEP_IDS.disable],
        ),
      ],
      notes: [],
    };
  },

  restore(original) {
    const part: RestorePart = { steps: [], notes: [], notRestored: [] };
    const disable = stepOfKind(original, AD_KINDS.disable);
    if (disable?.facts?.['wasDisabled'] === false) {
      part.steps.push(
        pendingStep(AD_STEP_IDS.enable, AD_KINDS.enable, 'Enable the on-premises AD account'),
      );
    } else if (disable?.facts?.['wasDisabled'] === true) {
      part.notes.push(
        'The AD account was already disabled before the revocation: it stays disabled.',
      );
    }
    if (ranKind(original, AD_KINDS.resetPassword))
      part.notRestored.push(
        'The password is not restored: the user sets a new one with the help desk.',
      );
    return part;
  },

  residual: {
    rank: 40,
    lines: (request, lifetimes) => {
      const line = kerberosLine(request, lifetimes.kerberosTicketHours);
      return line ? [line] : [];
    },
  },

  drift: {
    order: 2,
    step: AD_KINDS.disable,
    async reEnabled(request, { onPrem }, retrying) {
      if (!onPrem) return undefined;
      const { target } = request;
      const account = await retrying(() =>
        onPrem.findAccount({
          securityIdentifier: target.onPremisesSecurityIdentifier,
          samAccountName: target.onPremisesSamAccountName,
          userPrincipalName: target.onPremisesUserPrincipalName,
        }),
      );
      // `disabled` is the ACCOUNTDISABLE bit of userAccountControl.
      return account && !account.disabled ? `AD account ${account.samAccountName}` : undefined;
    },
  },
};

function kerberosLine(
  request: RevocationRequest,
  kerberosTicketHours: number,
): ResidualLine | undefined {
  if (!request.target.onPremisesSynced) return undefined;
  const disable = stepOfKind(request, AD_KINDS.disable);
  if (!disable) {
    return {
      what: 'On-premises AD access',
      until: 'unchanged: Revoke has no AD connection here',
      revokeDid: 'nothing on-premises',
      adminCan:
        'disable the account in AD now, or the next directory sync may re-enable the cloud account',
    };
  }
  if (!succeeded(disable)) {
    return {
      what: 'On-premises AD access',
      until: 'unchanged: the AD account was not disabled',
      revokeDid: `the AD disable ${disable.status === 'failed' ? 'failed' : 'did not run'}`,
      adminCan: 'retry the failed steps, or disable the account in AD',
    };
  }
  const at = disable.finishedAt ?? '';
  const reset = succeeded(stepOfKind(request, AD_KINDS.resetPassword));
  return {
    what: 'Kerberos tickets already issued on-premises',
    until: `until they expire: at most ${clock(addMinutes(at, kerberosTicketHours * 60))} (${kerberosTicketHours} h after the AD disable at ${clock(at)})`,
    revokeDid: `disabled the AD account${reset ? ' and reset its password twice' : ''}, so no new ticket is issued`,
    adminCan:
      'log the user off and purge their tickets (`klist purge`) on the machines they used, or restart those machines',
  };
}
