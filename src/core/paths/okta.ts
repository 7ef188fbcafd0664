// Okta: the account suspended (or deactivated, OKTA_ACTION), then every Okta session and every
// OAuth token Okta issued cleared, so apps that sign in through Okta stop getting new tokens.
// Where Okta federates with Entra ID, disabling the Entra ID account does not end an Okta session
// that is already open: this path does.
import { DirectoryError } from '../errors';
import type { RevocationRequest, StepSubject } from '../model';
import type { OktaAccount, OktaDirectory } from '../saas/okta-port';
import type { StepAction, StepContext } from '../revocation/step-context';
import { requireSubject, verificationFailed } from '../revocation/step-helpers';
import { unverifiable, verified } from '../revocation/step-result';
import {
  pendingStep,
  type AccessPath,
  type GatherContext,
  type PlanPart,
  type ResidualLine,
  type RestorePart,
} from './access-path';
import { connectorKey } from './connectors';
import { stepOfKind, succeeded } from './residual-helpers';

/** What "close the Okta account" means for this deployment (OKTA_ACTION). */
export type OktaClosing = 'suspend' | 'deactivate';

/** The Okta connector as the path needs it: the port, and the configured way of closing. */
export interface OktaConnector {
  directory: OktaDirectory;
  closing: OktaClosing;
}

export const OKTA_CONNECTOR = connectorKey<OktaConnector>('okta');

export const OKTA_KINDS = {
  close: 'okta.closeAccount',
  clearSessions: 'okta.clearSessions',
  reopen: 'restore.oktaUnsuspend',
} as const;

export const OKTA_STEP_IDS = {
  close: 'okta-close',
  clearSessions: 'okta-sessions',
  reopen: 'restore-okta-unsuspend',
} as const;

/** Statuses in which the account can no longer sign in. */
const CLOSED: Record<OktaClosing, ReadonlySet<string>> = {
  suspend: new Set(['SUSPENDED', 'DEPROVISIONED']),
  deactivate: new Set(['DEPROVISIONED']),
};

type OktaInventory =
  | { found: OktaAccount; closing: OktaClosing }
  | { none: string }
  | { ambiguous: string }
  /** Okta refused the look-up (a missing scope, a revoked key): a set-up fault the card names. */
  | { refused: string; lookup: string }
  /** Okta did not answer before approval: the step looks the account up itself when it runs. */
  | { unanswered: string; lookup: string; closing: OktaClosing };

const actions = {
  [OKTA_KINDS.close]: async (context) => {
    const { directory, closing } = requireOkta(context);
    const account = await accountOf(context, directory);
    if (!account) return verified(`no Okta account ${requireSubject(context).name} any more`);
    const mode = closingOf(requireSubject(context), closing);
    await context.remember({ oktaId: account.id, statusBefore: account.status });
    if (!CLOSED[mode].has(account.status)) {
      await context.retrying(() =>
        mode === 'deactivate'
          ? directory.deactivateUser(account.id)
          : directory.suspendUser(account.id),
      );
    }
    const after = await context.retrying(() => directory.getUser(account.id));
    if (after && !CLOSED[mode].has(after.status))
      throw verificationFailed(`Okta still shows ${account.login} as ${after.status}.`);
    return verified(
      CLOSED[mode].has(account.status)
        ? `${account.login} was already ${account.status}`
        : `${account.login}: ${account.status} → ${after?.status ?? 'gone'} (read back)`,
    );
  },

  [OKTA_KINDS.clearSessions]: async (context) => {
    const { directory } = requireOkta(context);
    const account = await accountOf(context, directory);
    if (!account) return verified(`no Okta account ${requireSubject(context).name} any more`);
    await context.retrying(() => directory.clearSessions(account.id));
    // Okta lists no sessions by user, so nothing can confirm they are gone; the 204 is all there is.
    return unverifiable(
      `Okta accepted the clearing of every session and OAuth token of ${account.login}`,
      'Okta offers no way to list a user’s sessions, so their end cannot be read back',
    );
  },

  [OKTA_KINDS.reopen]: async (context) => {
    const { directory } = requireOkta(context);
    const subject = requireSubject(context);
    const before = await context.retrying(() => directory.getUser(subject.id));
    if (!before)
      throw new DirectoryError('not_found', `Okta has no account ${subject.name} any more.`);
    if (before.status === 'SUSPENDED')
      await context.retrying(() => directory.unsuspendUser(subject.id));
    const after = await context.retrying(() => directory.getUser(subject.id));
    if (after?.status !== 'ACTIVE')
      throw verificationFailed(`Okta shows ${subject.name} as ${after?.status ?? 'gone'}.`);
    return verified(
      before.status === 'ACTIVE'
        ? `${subject.name} was already active`
        : `${subject.name} unsuspended`,
    );
  },
} satisfies Record<string, StepAction>;

export const oktaPath: AccessPath<OktaInventory> = {
  name: 'okta',
  title: 'Okta account and sessions',
  actions,

  async gather(context) {
    const okta = context.connectors?.get(OKTA_CONNECTOR);
    if (!okta) return undefined;
    return findAccount(context, okta);
  },

  plan(inventory): PlanPart {
    if ('none' in inventory)
      return {
        steps: [],
        notes: [
          `Okta has no account with the login or e-mail ${inventory.none}: nothing to close there.`,
        ],
      };
    if ('refused' in inventory)
      return {
        steps: [],
        notes: [
          `Okta refused to look up ${inventory.lookup} (${inventory.refused}): nothing is done there. Close the account in the Okta admin console, and run revoke doctor.`,
        ],
      };
    if ('ambiguous' in inventory)
      return {
        steps: [],
        notes: [
          `Okta has several accounts for ${inventory.ambiguous}: none is touched. Close the right one in the Okta admin console.`,
        ],
      };
    const subject: StepSubject =
      'found' in inventory
        ? { id: inventory.found.id, name: inventory.found.login, type: inventory.closing }
        : { id: '', name: inventory.lookup, type: inventory.closing };
    const verb = inventory.closing === 'deactivate' ? 'Deactivate' : 'Suspend';
    const notes =
      'unanswered' in inventory
        ? [
            `Okta did not answer when the request was made (${inventory.unanswered}): the account with the login or e-mail ${inventory.lookup} is looked up, exactly, when the step runs.`,
          ]
        : [];
    return {
      steps: [
        {
          ...pendingStep(
            OKTA_STEP_IDS.close,
            OKTA_KINDS.close,
            `${verb} the Okta account ${subject.name}`,
          ),
          subject,
        },
        // After the account is closed, so no new Okta session can start in between.
        {
          ...pendingStep(
            OKTA_STEP_IDS.clearSessions,
            OKTA_KINDS.clearSessions,
            `End every Okta session and OAuth token of ${subject.name}`,
            [OKTA_STEP_IDS.close],
          ),
          subject,
        },
      ],
      notes,
    };
  },

  restore(original) {
    const part: RestorePart = { steps: [], notes: [], notRestored: [] };
    const close = stepOfKind(original, OKTA_KINDS.close);
    if (!succeeded(close) || !close) return part;
    const id = close.facts?.['oktaId'];
    const before = close.facts?.['statusBefore'];
    const name = close.subject?.name ?? 'the Okta account';
    if (close.subject?.type === 'deactivate') {
      part.notRestored.push(
        `The Okta account ${name} stays deactivated: reactivate it in the Okta admin console (Okta sends the user an activation e-mail).`,
      );
    } else if (before === 'ACTIVE' && typeof id === 'string') {
      part.steps.push({
        ...pendingStep(
          OKTA_STEP_IDS.reopen,
          OKTA_KINDS.reopen,
          `Unsuspend the Okta account ${name}`,
        ),
        subject: { id, name },
      });
    } else if (typeof before === 'string') {
      part.notes.push(
        `The Okta account ${name} was already ${before} before the revocation: it stays so.`,
      );
    }
    if (succeeded(stepOfKind(original, OKTA_KINDS.clearSessions)))
      part.notRestored.push(
        'Okta sessions and OAuth tokens are not restored: the user signs in again.',
      );
    return part;
  },

  residual: { rank: 25, lines: (request) => residualLines(request) },
};

async function findAccount(context: GatherContext, okta: OktaConnector): Promise<OktaInventory> {
  const { user } = context;
  const names = [...new Set([user.userPrincipalName, user.mail].filter((n): n is string => !!n))];
  try {
    for (const name of names) {
      const found = await context.retrying(() => okta.directory.findUser(name));
      if (found) return { found, closing: okta.closing };
    }
    return { none: names.join(' or ') };
  } catch (error) {
    if (error instanceof DirectoryError && error.code === 'ambiguous')
      return { ambiguous: names.join(' or ') };
    // Okta being down must not stop an emergency request: the step looks the account up later.
    if (!(error instanceof DirectoryError)) throw error;
    if (error.retryable)
      return { unanswered: error.message, lookup: user.userPrincipalName, closing: okta.closing };
    // A set-up fault must not hold up the emergency revocation of every other path either.
    return { refused: error.message, lookup: names.join(' or ') };
  }
}

/** The account the step acts on: the one named before approval, or (if Okta was down) found now. */
async function accountOf(
  context: StepContext,
  directory: OktaDirectory,
): Promise<OktaAccount | undefined> {
  const subject = requireSubject(context);
  if (subject.id !== '') return context.retrying(() => directory.getUser(subject.id));
  // Exact, like the look-up before approval: an ambiguous answer fails the step (rejected).
  const found = await context.retrying(() => directory.findUser(subject.name));
  if (!found)
    throw new DirectoryError(
      'not_found',
      `Okta has no account with the login or e-mail ${subject.name}.`,
    );
  return found;
}

function closingOf(subject: StepSubject, fallback: OktaClosing): OktaClosing {
  return subject.type === 'deactivate' || subject.type === 'suspend' ? subject.type : fallback;
}

function requireOkta(context: StepContext): OktaConnector {
  const okta = context.connectors?.get(OKTA_CONNECTOR);
  if (!okta)
    throw new DirectoryError(
      'misconfigured',
      'Okta is not configured (OKTA_ORG_URL), but the plan has an Okta step.',
    );
  return okta;
}

function residualLines(request: RevocationRequest): ResidualLine[] {
  const close = stepOfKind(request, OKTA_KINDS.close);
  if (!close) return [];
  const sessions = stepOfKind(request, OKTA_KINDS.clearSessions);
  const closed = succeeded(close);
  return [
    {
      what: 'Sessions that apps keep themselves after an Okta sign-in',
      until: 'until each app’s own session ends or it checks back with Okta',
      // Okta's UserSessions API: clearing ends Okta sessions and (oauthTokens=true) revokes the
      // tokens Okta issued; an app's own session cookie is the app's
      // (https://developer.okta.com/docs/api/openapi/okta-management/management/tag/UserSessions/).
      revokeDid: [
        closed
          ? `closed the Okta account ${close.subject?.name ?? ''} (${close.subject?.type ?? 'suspend'})`
          : `the Okta account was NOT closed (${close.status})`,
        succeeded(sessions)
          ? 'Okta accepted ending every Okta session and revoking the OAuth tokens it issued (not verifiable)'
          : 'Okta sessions were NOT cleared',
      ].join('; '),
      adminCan:
        closed && succeeded(sessions)
          ? 'end the user’s sessions in apps that keep their own, or use Okta Universal Logout where the apps support it'
          : 'retry the failed steps, or suspend the user and clear their sessions in the Okta admin console',
    },
  ];
}
