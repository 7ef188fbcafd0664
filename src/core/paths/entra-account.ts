// The Entra ID account: disabled (accountEnabled=false), so no new sign-in and no new token. After
// the AD disable when there is one, or the next sync could undo it.
import { DirectoryError } from '../errors';
import type { StepAction } from '../revocation/step-context';
import { requireContainment, verificationFailed } from '../revocation/step-helpers';
import { verified } from '../revocation/step-result';
import { after, pendingStep, type AccessPath, type RestorePart } from './access-path';
import { AD_STEP_IDS } from './on-prem-ad';
import { stepOfKind } from './residual-helpers';

export const ENTRA_ACCOUNT_KINDS = {
  disable: 'entra.disableAccount',
  enable: 'restore.enableEntraAccount',
} as const;

export const ENTRA_ACCOUNT_STEP_IDS = {
  disable: 'entra-disable',
  enable: 'restore-entra-enable',
} as const;

const actions = {
  [ENTRA_ACCOUNT_KINDS.disable]: async ({ target, directory, retrying, remember }) => {
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

  [ENTRA_ACCOUNT_KINDS.enable]: async (context) => {
    const { target, directory, retrying } = context;
    const graph = requireContainment(context);
    await retrying(() => graph.enableUser(target.id));
    const user = await retrying(() => directory.getUser(target.id));
    if (!user)
      throw new DirectoryError('not_found', `${target.userPrincipalName} no longer exists.`);
    if (!user.accountEnabled)
      throw verificationFailed('Entra ID still shows the account as disabled.');
    return verified('accountEnabled is true');
  },
} satisfies Record<string, StepAction>;

/** Always planned: there is nothing to look up before disabling the account. */
export const entraAccountPath: AccessPath<true> = {
  name: 'entra-account',
  title: 'Entra ID account',
  actions,
  gather: () => Promise.resolve(true),

  plan: (_inventory, { planned }) => ({
    steps: [
      pendingStep(
        ENTRA_ACCOUNT_STEP_IDS.disable,
        ENTRA_ACCOUNT_KINDS.disable,
        'Disable the Entra ID account',
        after(planned, AD_STEP_IDS.disable),
      ),
    ],
    notes: [],
  }),

  restore(original, { planned }) {
    const part: RestorePart = { steps: [], notes: [], notRestored: [] };
    const disable = stepOfKind(original, ENTRA_ACCOUNT_KINDS.disable);
    if (disable?.facts?.['wasEnabled'] === true) {
      // After AD: the next directory sync would otherwise disable the cloud account again.
      part.steps.push(
        pendingStep(
          ENTRA_ACCOUNT_STEP_IDS.enable,
          ENTRA_ACCOUNT_KINDS.enable,
          'Enable the Entra ID account',
          after(planned, AD_STEP_IDS.enable),
        ),
      );
    } else if (disable?.facts?.['wasEnabled'] === false) {
      part.notes.push(
        'The Entra ID account was already disabled before the revocation: it stays disabled.',
      );
    }
    return part;
  },

  graph: [
    {
      purpose: 'step "disable the Entra ID account"',
      step: ENTRA_ACCOUNT_KINDS.disable,
      operations: ['disableUser'],
    },
    { operations: ['enableUser'], onlyFor: 'restoring after a false alarm' },
  ],

  drift: {
    order: 1,
    step: ENTRA_ACCOUNT_KINDS.disable,
    async reEnabled(request, { directory }, retrying) {
      const user = await retrying(() => directory.getUser(request.target.id));
      return user?.accountEnabled ? 'Entra ID account' : undefined;
    },
  },
};
