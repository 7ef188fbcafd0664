// Refresh tokens and sign-in sessions: revoked after the disable, so no new refresh token can be
// minted between the two. Access tokens already issued live on until they expire (the residual
// report says until when).
import { revokeSessions } from '../revocation/revoke-sessions';
import type { StepAction } from '../revocation/step-context';
import type { ResidualLifetimes, RevocationRequest } from '../model';
import { cannotRestore, pendingStep, type AccessPath, type ResidualLine } from './access-path';
import { ENTRA_ACCOUNT_KINDS, ENTRA_ACCOUNT_STEP_IDS } from './entra-account';
import { RISK_KINDS } from './identity-protection';
import { addMinutes, clock, stepOfKind, succeeded, textFact } from './residual-helpers';

export const SESSION_KINDS = { revoke: 'entra.revokeSessions' } as const;
export const SESSION_STEP_IDS = { revoke: 'entra-revoke-sessions' } as const;

const actions = {
  [SESSION_KINDS.revoke]: revokeSessions,
} satisfies Record<string, StepAction>;

export const entraSessionsPath: AccessPath<true> = {
  name: 'entra-sessions',
  title: 'Entra ID refresh tokens and sign-in sessions',
  actions,
  gather: () => Promise.resolve(true),

  plan: () => ({
    steps: [
      pendingStep(
        SESSION_STEP_IDS.revoke,
        SESSION_KINDS.revoke,
        'Revoke refresh tokens and sign-in sessions',
        [ENTRA_ACCOUNT_STEP_IDS.disable],
      ),
    ],
    notes: [],
  }),

  restore: cannotRestore(
    SESSION_KINDS.revoke,
    'Sessions are not restored: the user signs in again.',
  ),

  residual: { rank: 10, lines: (request, lifetimes) => [tokenLine(request, lifetimes)] },

  graph: [
    {
      purpose: 'step "revoke sign-in sessions"',
      step: SESSION_KINDS.revoke,
      operations: ['revokeSignInSessions'],
    },
  ],
};

function tokenLine(request: RevocationRequest, lifetimes: ResidualLifetimes): ResidualLine {
  const revoke = stepOfKind(request, SESSION_KINDS.revoke);
  const disabled = succeeded(stepOfKind(request, ENTRA_ACCOUNT_KINDS.disable));
  if (!revoke || revoke.status !== 'succeeded') {
    return {
      what: 'Refresh tokens and sign-in sessions',
      until: 'not revoked: usable until they expire or are revoked',
      revokeDid: revoke
        ? `the revocation step ${revoke.status === 'failed' ? `failed (${revoke.error?.message ?? 'no reason recorded'})` : 'did not run'}`
        : 'no session revocation in this plan',
      adminCan:
        'retry the failed steps from the card, or revoke sessions in the Entra admin center',
    };
  }
  if (revoke.verification?.state === 'unverifiable') {
    const at = revoke.finishedAt ?? '';
    return {
      what: 'Refresh tokens and sign-in sessions',
      until: `revoked only if Entra ID acted on the request accepted at ${clock(at)}: not verified (${revoke.verification.why})`,
      revokeDid: `asked Entra ID to revoke refresh tokens and sessions; it accepted${disabled ? '; disabled the account, so no new token is issued' : ''}`,
      adminCan: `check in Entra ID that the user's signInSessionsValidFromDateTime is at or after ${clock(at)}, or revoke sessions again in the Entra admin center`,
    };
  }
  const at = textFact(revoke, 'validFrom') ?? revoke.finishedAt ?? '';
  const until = addMinutes(at, lifetimes.accessTokenMinutes);
  const did = [`revoked refresh tokens and sessions at ${clock(at)} (read back)`];
  if (disabled) did.push('disabled the account, so no new token is issued');
  if (succeeded(stepOfKind(request, RISK_KINDS.confirm)))
    did.push('confirmed the user compromised (user risk high, a CAE critical event)');
  return {
    what: 'Access tokens already issued, in apps without Continuous Access Evaluation',
    until: `until at most ${clock(until)} (${lifetimes.accessTokenMinutes} min after the revocation at ${clock(at)})`,
    revokeDid: did.join('; '),
    adminCan:
      'nothing shortens them; apps with Continuous Access Evaluation (Exchange, SharePoint, Teams) honour the disable and the revocation within minutes',
  };
}
