// Identity Protection, compromised profile only: the user confirmed compromised, which sets user
// risk to high (Conditional Access risk policies then block them) and is a Continuous Access
// Evaluation critical event for the apps that honour it.
import type { StepAction } from '../revocation/step-context';
import { requireContainment, verificationFailed } from '../revocation/step-helpers';
import { verified } from '../revocation/step-result';
import { cannotRestore, pendingStep, type AccessPath } from './access-path';
import { containmentOrRefuse } from './gather-helpers';

export const RISK_KINDS = { confirm: 'entra.confirmCompromised' } as const;
export const RISK_STEP_IDS = { confirm: 'entra-confirm-compromised' } as const;

const COMPROMISED = 'confirmedCompromised';

const actions = {
  [RISK_KINDS.confirm]: async (context) => {
    const { target, retrying, remember } = context;
    const graph = requireContainment(context);
    const before = await retrying(() => graph.getRiskState(target.id));
    await remember({ riskStateBefore: before });
    if (before !== COMPROMISED) await retrying(() => graph.confirmCompromised(target.id));
    const after = await retrying(() => graph.getRiskState(target.id));
    if (after !== COMPROMISED)
      throw verificationFailed(`Identity Protection shows the risk state as ${after}.`);
    return verified(
      before === COMPROMISED
        ? 'was already confirmed compromised'
        : `risk state ${before} → confirmedCompromised (user risk high)`,
    );
  },
} satisfies Record<string, StepAction>;

export const identityProtectionPath: AccessPath<true> = {
  name: 'identity-protection',
  title: 'User risk (Identity Protection)',
  actions,

  gather(context) {
    if (context.profile !== 'compromised') return Promise.resolve(undefined);
    containmentOrRefuse(context);
    return Promise.resolve(true);
  },

  plan: () => ({
    steps: [
      pendingStep(
        RISK_STEP_IDS.confirm,
        RISK_KINDS.confirm,
        'Confirm the user compromised in Identity Protection',
      ),
    ],
    notes: [],
  }),

  restore: cannotRestore(
    RISK_KINDS.confirm,
    'The user risk stays confirmed compromised: dismiss it in Identity Protection if it was a false alarm.',
  ),

  graph: [
    { operations: ['getRiskState'], onlyFor: 'the compromised profile' },
    { operations: ['confirmCompromised'], onlyFor: 'the compromised profile' },
  ],
};
