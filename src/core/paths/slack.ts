// Slack (Enterprise Grid): an app that keeps its own sessions, which disabling the Entra ID account
// does not end. After the Entra disable (so single sign-on cannot start a new session), every
// Slack session of the person is reset, web and mobile, then their account is deactivated across
// the org; each is read back. The account is found before approval by the person's exact e-mail
// address, so the card names it; none found plans nothing, more than one is never guessed at.
import { DirectoryError } from '../errors';
import type { DirectoryUser, RevocationRequest, Step } from '../model';
import type { StepAction, StepContext } from '../revocation/step-context';
import { requireSubject, verificationFailed } from '../revocation/step-helpers';
import { noAccount, unverifiable, verified } from '../revocation/step-result';
import { SLACK, SLACK_AMBIGUOUS, type SlackAccount, type SlackDirectory } from '../saas/slack-port';
import {
  after,
  pendingStep,
  type AccessPath,
  type GatherContext,
  type PlanPart,
  type ResidualLine,
  type RestorePart,
} from './access-path';
import { ENTRA_ACCOUNT_STEP_IDS } from './entra-account';
import { clock, confirmed, stepOfKind, subjectName, succeeded } from './residual-helpers';

export const SLACK_KINDS = {
  resetSessions: 'slack.resetSessions',
  deactivate: 'slack.deactivateUser',
  reactivate: 'restore.reactivateSlackUser',
} as const;

export const SLACK_STEP_IDS = {
  resetSessions: 'slack-reset-sessions',
  deactivate: 'slack-deactivate',
  reactivate: 'restore-slack-reactivate',
} as const;

/** What gathering found: the one account, none, or more than one (never guessed at). */
export type SlackInventory =
  | { found: 'account'; account: SlackAccount }
  | { found: 'none'; addresses: string[] }
  | { found: 'ambiguous'; why: string };

const actions = {
  [SLACK_KINDS.resetSessions]: async (context) => {
    const { retrying, remember } = context;
    const slack = requireSlack(context);
    const account = requireSubject(context);
    const before = await retrying(() => slack.countActiveSessions(account.id));
    await remember({ slackSessionsBefore: before.sessions });
    try {
      // Always asked, even with none listed: a reset is harmless and a list may lag behind.
      await retrying(() => slack.resetSessions(account.id));
    } catch (error) {
      if (error instanceof DirectoryError && error.kind === 'not_found')
        return gone(account.name, 'its sessions could not be reset');
      throw error;
    }
    const left = await retrying(() => slack.countActiveSessions(account.id));
    if (left.workspaces === 0)
      return unverifiable(
        `Slack accepted the reset of every session of ${account.name}`,
        'Slack lists the account in no workspace, so there was no session list to read back',
      );
    if (left.sessions > 0)
      throw verificationFailed(
        `Slack still lists ${left.sessions} active session(s) of ${account.name}.`,
      );
    return verified(
      `Slack: every session of ${account.name} reset (${before.sessions} before, none listed after, in ${left.workspaces} workspace(s))`,
    );
  },

  [SLACK_KINDS.deactivate]: async (context) => {
    const { retrying, remember } = context;
    const slack = requireSlack(context);
    const account = requireSubject(context);
    const found = await retrying(() => slack.getUser(account.id));
    if (!found) {
      await remember({ slackAccount: false });
      return gone(account.name, 'there was nothing to deactivate');
    }
    await remember({ slackAccount: true, wasActive: found.active });
    if (found.active) await retrying(() => slack.setActive(account.id, false));
    const now = await retrying(() => slack.getUser(account.id));
    if (!now) return gone(account.name, 'it was gone when read back');
    if (now.active) throw verificationFailed(`Slack still shows ${account.name} as active.`);
    return verified(
      found.active
        ? `Slack: ${account.name} deactivated across the org (active=false read back)`
        : `Slack: ${account.name} was already deactivated`,
    );
  },

  [SLACK_KINDS.reactivate]: async (context) => {
    const { retrying } = context;
    const slack = requireSlack(context);
    const account = requireSubject(context);
    const found = await retrying(() => slack.getUser(account.id));
    if (!found)
      throw new DirectoryError('not_found', `Slack no longer has the account ${account.name}.`);
    if (!found.active) await retrying(() => slack.setActive(account.id, true));
    const now = await retrying(() => slack.getUser(account.id));
    if (!now?.active) throw verificationFailed(`Slack still shows ${account.name} as deactivated.`);
    return verified(`Slack: ${account.name} active again (active=true read back)`);
  },
} satisfies Record<string, StepAction>;

export const slackPath: AccessPath<SlackInventory> = {
  name: 'slack',
  title: 'Slack (Enterprise Grid) sessions and account',
  actions,
  gather: gatherSlackAccount,
  plan: planSlack,
  restore: restoreSlack,
  // After the apps' line (20), before the devices' (30).
  residual: { rank: 22, lines: slackLines },
  // An identity provider that provisions Slack over SCIM may reactivate the account it manages.
  drift: {
    order: 3,
    step: SLACK_KINDS.deactivate,
    async reEnabled(request, { connectors }, retrying) {
      const step = stepOfKind(request, SLACK_KINDS.deactivate);
      const slack = connectors?.get(SLACK);
      if (!slack || !step?.subject) return undefined;
      const id = step.subject.id;
      const account = await retrying(() => slack.getUser(id));
      return account?.active ? `Slack account ${step.subject.name}` : undefined;
    },
  },
};

/** The addresses a person may be known by in Slack: their mail, then their sign-in name. */
export function slackAddresses(user: DirectoryUser): string[] {
  const all = [user.mail, user.userPrincipalName].filter((a): a is string => Boolean(a));
  return all.filter((a, i) => all.findIndex((b) => b.toLowerCase() === a.toLowerCase()) === i);
}

async function gatherSlackAccount(context: GatherContext): Promise<SlackInventory | undefined> {
  const slack = context.connectors?.get(SLACK);
  if (!slack) return undefined;
  const addresses = slackAddresses(context.user);
  const found = new Map<string, SlackAccount>();
  for (const address of addresses) {
    try {
      const account = await context.retrying(() => slack.findUserByEmail(address));
      if (account) found.set(account.id, account);
    } catch (error) {
      // Refused, not guessed; and not a reason to hold up the rest of an emergency revocation.
      if (error instanceof DirectoryError && error.code === SLACK_AMBIGUOUS)
        return { found: 'ambiguous', why: error.message };
      throw error;
    }
  }
  const accounts = [...found.values()];
  if (accounts.length > 1)
    return {
      found: 'ambiguous',
      why: `Slack accounts ${accounts.map(nameOf).join(' and ')} each have one of ${addresses.join(', ')}; Revoke will not guess which one is meant.`,
    };
  const [account] = accounts;
  return account ? { found: 'account', account } : { found: 'none', addresses };
}

export function planSlack(
  inventory: SlackInventory,
  { planned }: { planned: ReadonlySet<string> },
): PlanPart {
  if (inventory.found === 'none')
    return {
      steps: [],
      notes: [
        `Slack: no account has the e-mail address ${inventory.addresses.join(' or ')}, so nothing is planned there.`,
      ],
    };
  if (inventory.found === 'ambiguous')
    return {
      steps: [],
      notes: [
        `Slack: NOT planned. ${inventory.why} End the sessions of the right account and deactivate it by hand.`,
      ],
    };
  const subject = { id: inventory.account.id, name: nameOf(inventory.account) };
  const steps: Step[] = [
    {
      // After the Entra disable: single sign-on must not open a new session once these are reset.
      ...pendingStep(
        SLACK_STEP_IDS.resetSessions,
        SLACK_KINDS.resetSessions,
        `End every Slack session of ${subject.name}, web and mobile`,
        after(planned, ENTRA_ACCOUNT_STEP_IDS.disable),
      ),
      subject,
    },
    {
      ...pendingStep(
        SLACK_STEP_IDS.deactivate,
        SLACK_KINDS.deactivate,
        `Deactivate the Slack account ${subject.name} across the org`,
        [SLACK_STEP_IDS.resetSessions],
      ),
      subject: { ...subject },
    },
  ];
  const notes = inventory.account.active
    ? []
    : [
        `Slack: ${subject.name} is already deactivated; its sessions are reset and read back anyway.`,
      ];
  return { steps, notes };
}

export function restoreSlack(
  original: RevocationRequest,
  { planned }: { planned: ReadonlySet<string> },
): RestorePart {
  const part: RestorePart = { steps: [], notes: [], notRestored: [] };
  const deactivate = stepOfKind(original, SLACK_KINDS.deactivate);
  const name = deactivate ? subjectName(deactivate) : '';
  // Only what was active before and deactivated by this run is put back.
  if (deactivate?.subject && deactivate.facts?.['wasActive'] === true) {
    part.steps.push({
      ...pendingStep(
        SLACK_STEP_IDS.reactivate,
        SLACK_KINDS.reactivate,
        `Reactivate the Slack account ${name}`,
        // Slack sign-in goes through Entra ID: the account there comes back first.
        after(planned, ENTRA_ACCOUNT_STEP_IDS.enable),
      ),
      subject: { ...deactivate.subject },
    });
  } else if (deactivate?.facts?.['wasActive'] === false) {
    part.notes.push(
      `The Slack account ${name} was already deactivated before the revocation: it stays deactivated.`,
    );
  }
  if (succeeded(stepOfKind(original, SLACK_KINDS.resetSessions)))
    part.notRestored.push('Slack sessions are not restored: the user signs in to Slack again.');
  return part;
}

/**
 * What survives in Slack after the run. Deactivation deletes no message or file, so what the
 * person posted stays readable, in channels shared with other organisations (Slack Connect) too
 * (https://slack.com/help/articles/204475027-Deactivate-a-members-account); their user tokens are
 * revoked, but some features of apps they installed (bot users, slash commands, incoming webhooks)
 * keep working (https://slack.com/help/articles/360000446446-Manage-deactivated-members-apps-and-integrations).
 */
function slackLines(request: RevocationRequest): ResidualLine[] {
  const reset = stepOfKind(request, SLACK_KINDS.resetSessions);
  const deactivate = stepOfKind(request, SLACK_KINDS.deactivate);
  if (!reset && !deactivate) return [];
  const name = subjectName((deactivate ?? reset) as Step);
  const did: string[] = [];
  const open: string[] = [];
  describe(reset, `reset every Slack session`, 'Slack sessions were NOT reset', did, open);
  describe(
    deactivate,
    `deactivated ${name} across the org`,
    `${name} was NOT deactivated`,
    did,
    open,
  );
  if (open.length > 0)
    return [
      {
        what: `Slack sessions and the Slack account ${name}`,
        until: 'until the user is deactivated in Slack or their sessions end',
        revokeDid: [...did, ...open].join('; '),
        adminCan: `retry the failed steps, or deactivate ${name} in Slack's admin dashboard (Organisation settings → Members)`,
      },
    ];
  return [
    {
      what: 'Slack content and apps of the deactivated account (Slack Connect channels, shared files, apps they installed)',
      until:
        'until an Org Admin removes them: deactivation deletes no message or file, and bot users, slash commands and incoming webhooks of apps they installed keep working',
      revokeDid: did.join('; '),
      adminCan:
        "review the apps and workflows the user installed (Manage deactivated members' apps), and the channels shared with other organisations, where what they posted stays visible",
    },
  ];
}

function describe(
  step: Step | undefined,
  done: string,
  notDone: string,
  did: string[],
  open: string[],
): void {
  if (!step) return;
  if (confirmed(step)) did.push(`${done} at ${clock(step.finishedAt ?? '')} (read back)`);
  else if (succeeded(step) && step.verification?.state === 'unverifiable')
    open.push(`${done}: Slack accepted it, not verified (${step.verification.why})`);
  else if (succeeded(step) && step.verification?.state === 'no_account')
    did.push(`found no Slack account to act on (${step.verification.why})`);
  else open.push(`${notDone}${step.error ? ` (${step.error.message})` : ''}`);
}

function nameOf(account: SlackAccount): string {
  return `${account.userName} (${account.email}, ${account.id})`;
}

function gone(name: string, what: string) {
  return noAccount(
    `Slack: the account ${name} no longer exists`,
    `Slack has no account ${name} any more, so ${what}`,
  );
}

function requireSlack(context: StepContext): SlackDirectory {
  const slack = context.connectors?.get(SLACK);
  if (!slack)
    throw new DirectoryError(
      'misconfigured',
      'Slack is not configured (SLACK_ORG_TOKEN), but the plan has a Slack step.',
    );
  return slack;
}
