// "What may still work" on GitHub after a run. What each line claims rests on GitHub's own
// documentation:
// - Removing an organisation member removes them from every team and takes away their access to
//   the organisation's repositories; their forks of its private repositories are deleted, but
//   their local clones stay, and the personal account (its personal access tokens, SSH keys, OAuth
//   and GitHub App authorisations) goes on working everywhere outside the organisation:
//   https://docs.github.com/en/organizations/managing-membership-in-your-organization/removing-a-member-from-your-organization
// - A suspended (soft-deprovisioned) managed user loses access to the enterprise and to all its
//   private resources; the account is kept, and a SCIM reactivation or the identity provider's
//   next provisioning cycle for an enabled user brings it back:
//   https://docs.github.com/en/enterprise-cloud@latest/admin/managing-iam/provisioning-user-accounts-with-scim/deprovisioning-and-reinstating-users
import type { RevocationRequest, Step } from '../model';
import type { ResidualLine } from './access-path';
import { GITHUB_KINDS } from './github-kinds';
import { clock, stepOfKind, succeeded } from './residual-helpers';

export function githubResidualLines(request: RevocationRequest): ResidualLine[] {
  const removed = stepOfKind(request, GITHUB_KINDS.removeMember);
  if (removed) return [organisationLine(removed)];
  const suspended = stepOfKind(request, GITHUB_KINDS.suspendUser);
  if (suspended) return [managedUserLine(suspended)];
  return [];
}

function organisationLine(step: Step): ResidualLine {
  const login = step.subject?.id ?? 'the account';
  const org = step.subject?.type ?? 'the organisation';
  if (!succeeded(step)) {
    return {
      what: `GitHub: ${login}'s access to ${org} (personal access tokens, SSH keys, the web)`,
      until: 'until the account is removed from the organisation',
      revokeDid: `the removal ${step.status === 'failed' ? `failed (${step.error?.message ?? 'no reason recorded'})` : 'did not run'}`,
      adminCan: `retry the failed steps from the card, or remove ${login} on ${org}'s People page`,
    };
  }
  return {
    what: `GitHub: the personal account ${login}, its personal access tokens and SSH keys`,
    until: `for good outside ${org}: the account is the person's own, not the company's`,
    revokeDid: `removed ${login} from ${org} at ${clock(step.finishedAt ?? '')} (membership 404 read back), so none of them reaches ${org}'s repositories; GitHub deletes their forks of its private repositories`,
    adminCan: `nothing on the account itself; local clones stay with the person: rotate secrets they could read in ${org}'s repositories, and check their access to repositories outside ${org}`,
  };
}

function managedUserLine(step: Step): ResidualLine {
  const name = step.subject?.name ?? 'the managed user';
  const enterprise = step.subject?.type ?? 'the enterprise';
  if (!succeeded(step)) {
    return {
      what: `${name} in ${enterprise} (personal access tokens, SSH keys, the web)`,
      until: 'until the managed user is suspended',
      revokeDid: `the suspension ${step.status === 'failed' ? `failed (${step.error?.message ?? 'no reason recorded'})` : 'did not run'}`,
      adminCan: `retry the failed steps from the card, or suspend the user in ${enterprise}'s identity provider`,
    };
  }
  return {
    what: `${name}: clones and downloads already made`,
    until: 'for good: they are on the person’s machines',
    revokeDid: `suspended the managed user in ${enterprise} at ${clock(step.finishedAt ?? '')} (SCIM active=false read back): no sign-in, token or SSH key of it reaches the enterprise`,
    adminCan:
      'keep the user disabled in the identity provider: its next provisioning cycle reactivates a user who is enabled and assigned again',
  };
}
