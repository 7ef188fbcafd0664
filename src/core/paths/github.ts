// GitHub: the organisation's repositories stay reachable after the Entra ID disable, because a
// member's personal access tokens and SSH keys authenticate to GitHub, not to Entra ID. In an
// organisation Revoke removes the member and cancels their pending invitations; with Enterprise
// Managed Users it suspends the managed user through SCIM. Which account is the person's is read
// from the identity linkage GitHub keeps (SAML nameId or SCIM userName equal to the UPN), exactly:
// Revoke never guesses a login from a name or an e-mail address.
import { DirectoryError, describeError } from '../errors';
import type { RevocationRequest, Step } from '../model';
import type { StepAction, StepContext } from '../revocation/step-context';
import { requireSubject, verificationFailed } from '../revocation/step-helpers';
import { verified } from '../revocation/step-result';
import {
  GITHUB,
  type GithubDirectory,
  type GithubEnterprise,
  type GithubInvitation,
  type GithubOrganisation,
} from '../saas/github-port';
import {
  after,
  pendingStep,
  type AccessPath,
  type GatherContext,
  type RestoreContext,
  type RestorePart,
} from './access-path';
import { ENTRA_ACCOUNT_STEP_IDS } from './entra-account';
import { GITHUB_KINDS, GITHUB_STEP_IDS } from './github-kinds';
import { githubResidualLines } from './github-residual';
import { stepOfKind, succeeded } from './residual-helpers';

export type GithubInventory =
  | { mode: 'org'; org: string; login: string }
  | { mode: 'emu'; enterprise: string; scimId: string; userName: string }
  /** Nothing to act on: the note says why, so the card never implies GitHub was handled. */
  | { mode: 'none'; why: string };

// The step's subject carries where it acts in `type` (the organisation or enterprise it was
// planned for): a step approved for one organisation must never run against another one that the
// configuration names later.
const actions = {
  [GITHUB_KINDS.removeMember]: async (context) => {
    const { retrying, remember, target } = context;
    const github = organisationOf(context);
    const login = requireSubject(context).id;
    const membership = await retrying(() => github.getMembership(login));
    await remember(
      membership
        ? {
            wasMember: true,
            role: membership.role,
            membershipState: membership.state,
            userId: membership.userId,
          }
        : { wasMember: false },
    );
    if (membership) await retrying(() => github.removeMember(login));
    const pending = invitationsOf(
      await retrying(() => github.listInvitations()),
      login,
      target.userPrincipalName,
    );
    await remember({ invitationsCancelled: pending.length });
    for (const invitation of pending) await retrying(() => github.cancelInvitation(invitation.id));

    // Read back: no membership (404) and no pending invitation for the account or the UPN.
    if (await retrying(() => github.getMembership(login)))
      throw verificationFailed(`${github.org} still lists ${login} as a member.`);
    const left = invitationsOf(
      await retrying(() => github.listInvitations()),
      login,
      target.userPrincipalName,
    );
    if (left.length > 0)
      throw verificationFailed(
        `${github.org} still has ${left.length} pending invitation(s) for ${login}.`,
      );
    const removed = membership
      ? `removed ${login} from ${github.org} (was ${membership.role === 'admin' ? 'an owner' : 'a member'}${membership.state === 'pending' ? ', invitation not yet accepted' : ''})`
      : `${login} was not a member of ${github.org}`;
    const cancelled =
      pending.length > 0 ? `; cancelled ${pending.length} pending invitation(s)` : '';
    return verified(`${removed}${cancelled}; membership 404 read back`);
  },

  [GITHUB_KINDS.suspendUser]: async (context) => {
    const { retrying, remember } = context;
    const github = enterpriseOf(context);
    const scimId = requireSubject(context).id;
    const before = await retrying(() => github.getManagedUser(scimId));
    // Deleted (hard-deprovisioned) since the plan: a user that does not exist cannot sign in.
    if (!before) return verified(`the managed user is gone from ${github.enterprise} (404)`);
    await remember({ wasActive: before.active, userName: before.userName });
    if (before.active) await retrying(() => github.setManagedUserActive(scimId, false));
    const now = await retrying(() => github.getManagedUser(scimId));
    if (!now)
      return verified(`the managed user is gone from ${github.enterprise} (404 on read-back)`);
    if (now.active)
      throw verificationFailed(`${github.enterprise} still shows ${before.userName} as active.`);
    return verified(
      before.active
        ? `suspended ${before.userName} in ${github.enterprise} (SCIM active=false read back)`
        : `${before.userName} was already suspended in ${github.enterprise}`,
    );
  },

  [GITHUB_KINDS.reactivateUser]: async (context) => {
    const { retrying } = context;
    const github = enterpriseOf(context);
    const scimId = requireSubject(context).id;
    const before = await retrying(() => github.getManagedUser(scimId));
    if (!before)
      throw new DirectoryError(
        'not_found',
        `${github.enterprise} has no managed user ${scimId} any more: it cannot be reactivated.`,
      );
    if (!before.active) await retrying(() => github.setManagedUserActive(scimId, true));
    const now = await retrying(() => github.getManagedUser(scimId));
    if (!now?.active)
      throw verificationFailed(`${github.enterprise} still shows ${before.userName} as suspended.`);
    return verified(
      before.active
        ? `${before.userName} was already active in ${github.enterprise}`
        : `reactivated ${before.userName} in ${github.enterprise} (SCIM active=true read back)`,
    );
  },
} satisfies Record<string, StepAction>;

export const githubPath: AccessPath<GithubInventory> = {
  name: 'github',
  title: 'GitHub organisation or Enterprise Managed Users',
  actions,
  gather: gatherGithub,
  plan: planGithub,
  restore: restoreGithub,
  residual: { rank: 22, lines: (request) => githubResidualLines(request) },
};

/** Read-only: the account the person's identity is linked to, or why there is none. */
async function gatherGithub(context: GatherContext): Promise<GithubInventory | undefined> {
  const github = context.connectors?.get(GITHUB);
  if (!github) return undefined;
  const upn = context.user.userPrincipalName;
  try {
    if (github.mode === 'org') {
      const found = await context.retrying(() => github.findLogin(upn));
      if ('none' in found) return { mode: 'none', why: `GitHub: nothing planned: ${found.none}.` };
      return { mode: 'org', org: github.org, login: found.login };
    }
    const found = await context.retrying(() => github.findManagedUser(upn));
    if ('none' in found) return { mode: 'none', why: `GitHub: nothing planned: ${found.none}.` };
    return {
      mode: 'emu',
      enterprise: github.enterprise,
      scimId: found.scimId,
      userName: found.userName,
    };
  } catch (error) {
    // GitHub being down or two accounts linked to one person must not stop the emergency request:
    // the other paths still run, and the card says GitHub was not handled and why.
    return { mode: 'none', why: `GitHub: nothing planned: ${gatherFailure(error)}` };
  }
}

function gatherFailure(error: unknown): string {
  if (error instanceof DirectoryError && error.code === 'ambiguous')
    return `${error.message} Remove the right account by hand.`;
  const advice = error instanceof DirectoryError && error.advice ? ` ${error.advice}` : '';
  return `GitHub could not be read before approval (${describeError(error)}).${advice} Check the person's GitHub access by hand.`;
}

export function planGithub(
  inventory: GithubInventory,
  context: { planned: ReadonlySet<string> },
): { steps: Step[]; notes: string[] } {
  if (inventory.mode === 'none') return { steps: [], notes: [inventory.why] };
  // After the Entra disable: with single sign-on enforced, a person removed while still able to
  // sign in to Entra ID could accept a fresh invitation through single sign-on.
  const runsAfter = after(context.planned, ENTRA_ACCOUNT_STEP_IDS.disable);
  if (inventory.mode === 'org') {
    return {
      steps: [
        {
          ...pendingStep(
            GITHUB_STEP_IDS.removeMember,
            GITHUB_KINDS.removeMember,
            `Remove GitHub account ${inventory.login} from the organisation ${inventory.org} and cancel its pending invitations`,
            runsAfter,
          ),
          subject: { id: inventory.login, name: `GitHub ${inventory.login}`, type: inventory.org },
        },
      ],
      notes: [],
    };
  }
  return {
    steps: [
      {
        ...pendingStep(
          GITHUB_STEP_IDS.suspendUser,
          GITHUB_KINDS.suspendUser,
          `Suspend the GitHub managed user ${inventory.userName} in the enterprise ${inventory.enterprise} (SCIM)`,
          runsAfter,
        ),
        subject: {
          id: inventory.scimId,
          name: `GitHub ${inventory.userName}`,
          type: inventory.enterprise,
        },
      },
    ],
    notes: [],
  };
}

/**
 * An organisation member is not invited back by Revoke: GitHub keeps a removed member's role, team
 * memberships, access and forks for three months, and only an owner's "Reinstate" on GitHub's own
 * invitation page restores them; an invitation sent through the API would bring the person back
 * with none of it. A managed user is reactivated through SCIM.
 * https://docs.github.com/en/organizations/managing-membership-in-your-organization/reinstating-a-former-member-of-your-organization
 */
export function restoreGithub(original: RevocationRequest, context: RestoreContext): RestorePart {
  const part: RestorePart = { steps: [], notes: [], notRestored: [] };
  const removed = stepOfKind(original, GITHUB_KINDS.removeMember);
  if (succeeded(removed) && removed?.facts?.['wasMember'] === true) {
    const role = removed.facts['role'] === 'admin' ? 'an owner' : 'a member';
    const org = removed.subject?.type ?? 'the organisation';
    const login = removed.subject?.id ?? 'the account';
    part.notRestored.push(
      `GitHub: ${login} is not invited back to ${org} by this restore. They were ${role}; within three months of the removal an owner can invite them from the organisation's People page and choose "Reinstate" to restore their role, teams, access and forks. Cancelled invitations are not sent again.`,
    );
  }
  const suspended = stepOfKind(original, GITHUB_KINDS.suspendUser);
  if (succeeded(suspended) && suspended?.facts?.['wasActive'] === true && suspended.subject) {
    part.steps.push({
      ...pendingStep(
        GITHUB_STEP_IDS.reactivateUser,
        GITHUB_KINDS.reactivateUser,
        `Reactivate the GitHub managed user ${String(suspended.facts['userName'] ?? suspended.subject.name)} (SCIM)`,
        after(context.planned, ENTRA_ACCOUNT_STEP_IDS.enable),
      ),
      subject: { ...suspended.subject },
    });
  }
  return part;
}

/** The pending invitations that would let this person (back) in: to the login or to the UPN. */
export function invitationsOf(
  invitations: readonly GithubInvitation[],
  login: string,
  userPrincipalName: string,
): GithubInvitation[] {
  const same = (a: string | undefined, b: string) => a?.toLowerCase() === b.toLowerCase();
  return invitations.filter((i) => same(i.login, login) || same(i.email, userPrincipalName));
}

function connectorOf(context: StepContext): GithubDirectory {
  const github = context.connectors?.get(GITHUB);
  if (!github)
    throw new DirectoryError(
      'misconfigured',
      'GitHub is no longer configured (GITHUB_ADMIN_TOKEN), but the plan has a GitHub step.',
    );
  return github;
}

function organisationOf(context: StepContext): GithubOrganisation {
  const github = connectorOf(context);
  const planned = requireSubject(context).type;
  if (github.mode !== 'org' || github.org !== planned)
    throw new DirectoryError(
      'misconfigured',
      `This step was approved for the GitHub organisation ${planned ?? '(unnamed)'}, but the configuration now names ${github.mode === 'org' ? `the organisation ${github.org}` : `the enterprise ${github.enterprise}`}: nothing was changed.`,
    );
  return github;
}

function enterpriseOf(context: StepContext): GithubEnterprise {
  const github = connectorOf(context);
  const planned = requireSubject(context).type;
  if (github.mode !== 'emu' || github.enterprise !== planned)
    throw new DirectoryError(
      'misconfigured',
      `This step was approved for the GitHub enterprise ${planned ?? '(unnamed)'}, but the configuration now names ${github.mode === 'emu' ? `the enterprise ${github.enterprise}` : `the organisation ${github.org}`}: nothing was changed.`,
    );
  return github;
}
