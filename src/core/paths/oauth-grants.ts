// Delegated consents, compromised profile only: an app the attacker consented to keeps a refresh
// token of its own, which no disable ends, so each consent is removed and named on the card.
import type { OAuthGrant } from '../containment-ports';
import type { StepAction } from '../revocation/step-context';
import { requireContainment, requireSubject, verificationFailed } from '../revocation/step-helpers';
import { verified } from '../revocation/step-result';
import { cannotRestore, pendingStep, type AccessPath } from './access-path';
import { containmentOrRefuse } from './gather-helpers';

export const OAUTH_GRANT_KINDS = { remove: 'entra.removeOAuthGrant' } as const;

const actions = {
  [OAUTH_GRANT_KINDS.remove]: async (context) => {
    const { target, retrying, remember } = context;
    const graph = requireContainment(context);
    const subject = requireSubject(context);
    const present = async () =>
      (await retrying(() => graph.listOAuthGrants(target.id))).some((g) => g.id === subject.id);
    const was = await present();
    await remember({ wasPresent: was });
    if (was) await retrying(() => graph.deleteOAuthGrant(subject.id));
    if (await present()) throw verificationFailed(`the consent to ${subject.name} still exists.`);
    return verified(
      was ? `consent to ${subject.name} removed` : `consent to ${subject.name} was already gone`,
    );
  },
} satisfies Record<string, StepAction>;

export const oauthGrantsPath: AccessPath<OAuthGrant[]> = {
  name: 'oauth-grants',
  title: 'Delegated consents to apps',
  actions,

  async gather(context) {
    if (context.profile !== 'compromised') return undefined;
    const containment = containmentOrRefuse(context);
    return context.retrying(() => containment.listOAuthGrants(context.user.id));
  },

  plan: (grants) => ({
    steps: grants.map((grant) => {
      const app = grant.clientName ?? `app ${grant.clientId}`;
      return {
        ...pendingStep(
          `oauth-grant-${grant.id}`,
          OAUTH_GRANT_KINDS.remove,
          `Remove consent to ${app} (${grant.scope.trim() || 'no scopes'})`,
        ),
        subject: { id: grant.id, name: app },
      };
    }),
    notes: [],
  }),

  restore: cannotRestore(
    OAUTH_GRANT_KINDS.remove,
    'Removed consents are not restored: the user consents again when the app asks.',
  ),

  graph: [
    { operations: ['listOAuthGrants'], onlyFor: 'the compromised profile' },
    { operations: ['deleteOAuthGrant'], onlyFor: 'the compromised profile' },
    { operations: ['getServicePrincipalName'], onlyFor: 'naming apps in the compromised profile' },
  ],
};
