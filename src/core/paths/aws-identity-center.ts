// AWS IAM Identity Center: the AWS accounts a person reaches through permission sets. Disabling the
// Entra ID account stops new sign-ins to the AWS access portal (Entra ID is its identity provider),
// but role sessions already issued live on for up to their session duration, and an open portal
// session can still assume new roles. AWS's documented revocation
// (https://docs.aws.amazon.com/singlesignon/latest/userguide/revoke-user-permissions.html) is what
// this path automates: an explicit deny for the user on every permission set they hold, provisioned
// to the accounts, and their removal from the identity store's groups. The identity store API has no
// call that disables a user (the console's "Disable user access",
// https://docs.aws.amazon.com/singlesignon/latest/userguide/disableuser.html, is console-only), so
// removing the group memberships is the API step that stops group-granted access.
import { DirectoryError } from '../errors';
import type { RevocationRequest, Step } from '../model';
import type { StepAction, StepContext } from '../revocation/step-context';
import { requireSubject, verificationFailed } from '../revocation/step-helpers';
import { noAccount, verified } from '../revocation/step-result';
import {
  AWS_IDENTITY_CENTER,
  type AwsIdentityCenter,
  type AwsUser,
} from '../saas/aws-identity-center-port';
import {
  after,
  pendingStep,
  type AccessPath,
  type GatherContext,
  type PlanPart,
  type ResidualLine,
  type RestorePart,
} from './access-path';
import { denySid, hasStatement, withDenyStatement, withoutStatement } from './aws-deny-statement';
import { ENTRA_ACCOUNT_STEP_IDS } from './entra-account';
import { clock, confirmed, stepsOfKind, subjectName, succeeded } from './residual-helpers';

export const AWS_KINDS = {
  denySessions: 'aws.denyPermissionSetSessions',
  removeGroups: 'aws.removeGroupMemberships',
  removeDeny: 'restore.awsRemoveDenyStatement',
  addGroup: 'restore.awsAddGroupMembership',
} as const;

export const AWS_STEP_IDS = { groups: 'aws-sso-groups' } as const;

export interface AwsPermissionSetHeld {
  arn: string;
  name: string;
  /** The accounts the user reaches with it. */
  accounts: string[];
}

export interface AwsInventory {
  userName: string;
  /** Undefined when the identity store has no user of that exact userName. */
  user?: AwsUser;
  permissionSets: AwsPermissionSetHeld[];
  groups: string[];
}

export function denyStepId(permissionSetArn: string): string {
  const id = permissionSetArn.split('/').pop() ?? permissionSetArn;
  return `aws-sso-deny-${id.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
}

const actions = {
  [AWS_KINDS.denySessions]: async (context) => {
    const { retrying, remember, target } = context;
    const aws = requireAws(context);
    const set = requireSubject(context);
    const user = await retrying(() => aws.findUser(target.userPrincipalName));
    if (!user) return noUser(target.userPrincipalName);
    const sid = denySid(target.id);
    const before = await retrying(() => aws.getInlinePolicy(set.id));
    // The policy as it was, so a restore takes out only what this step put in.
    await remember({ hadStatement: hasStatement(before, sid), policyBefore: before, sid });
    const wanted = withDenyStatement(before, sid, user.id);
    if (wanted !== before) await retrying(() => aws.putInlinePolicy(set.id, wanted));
    await provisionOrThrow(context, aws, set.id, set.name);
    if (!hasStatement(await retrying(() => aws.getInlinePolicy(set.id)), sid))
      throw verificationFailed(`${set.name}'s inline policy does not hold the deny statement.`);
    return verified(
      `${set.name}: every action denied to ${user.userName}'s role sessions (statement ${sid} read back, provisioned to its accounts)`,
    );
  },

  [AWS_KINDS.removeGroups]: async (context) => {
    const { retrying, remember, target } = context;
    const aws = requireAws(context);
    const user = await retrying(() => aws.findUser(target.userPrincipalName));
    if (!user) return noUser(target.userPrincipalName);
    const memberships = await retrying(() => aws.listGroupMemberships(user.id));
    // Kept from the first attempt: a retry after a partial removal still knows every group.
    await remember({
      groupsBefore: JSON.stringify(memberships.map((m) => ({ id: m.groupId, name: m.groupName }))),
    });
    for (const membership of memberships)
      await retrying(() => aws.removeGroupMembership(membership.membershipId));
    const left = await retrying(() => aws.listGroupMemberships(user.id));
    if (left.length > 0)
      throw verificationFailed(
        `${user.userName} is still in ${left.map((m) => m.groupName).join(', ')}.`,
      );
    return verified(
      memberships.length === 0
        ? `${user.userName} was in no IAM Identity Center group`
        : `${user.userName} removed from ${memberships.map((m) => m.groupName).join(', ')} (none left on read-back)`,
    );
  },

  [AWS_KINDS.removeDeny]: async (context) => {
    const { retrying, target } = context;
    const aws = requireAws(context);
    const set = requireSubject(context);
    const sid = denySid(target.id);
    const before = await retrying(() => aws.getInlinePolicy(set.id));
    const { policy, empty } = withoutStatement(before, sid);
    if (policy !== before || (empty && before !== '')) {
      if (empty) await retrying(() => aws.deleteInlinePolicy(set.id));
      else await retrying(() => aws.putInlinePolicy(set.id, policy));
    }
    await provisionOrThrow(context, aws, set.id, set.name);
    if (hasStatement(await retrying(() => aws.getInlinePolicy(set.id)), sid))
      throw verificationFailed(`${set.name}'s inline policy still holds ${sid}.`);
    return verified(`${set.name}: the deny statement ${sid} removed (read back, provisioned)`);
  },

  [AWS_KINDS.addGroup]: async (context) => {
    const { retrying, target } = context;
    const aws = requireAws(context);
    const group = requireSubject(context);
    const user = await retrying(() => aws.findUser(target.userPrincipalName));
    if (!user) return noUser(target.userPrincipalName);
    await retrying(() => aws.addGroupMembership(group.id, user.id));
    const now = await retrying(() => aws.listGroupMemberships(user.id));
    if (!now.some((m) => m.groupId === group.id))
      throw verificationFailed(`${user.userName} is not in ${group.name}.`);
    return verified(`${user.userName} is in ${group.name} again (read back)`);
  },
} satisfies Record<string, StepAction>;

export const awsIdentityCenterPath: AccessPath<AwsInventory> = {
  name: 'aws-identity-center',
  title: 'AWS IAM Identity Center (permission sets and groups)',
  actions,
  gather: gatherAws,
  plan: planAws,
  restore: restoreAws,
  residual: { rank: 22, lines: (request) => awsLines(request) },
};

async function gatherAws(context: GatherContext): Promise<AwsInventory | undefined> {
  const aws = context.connectors?.get(AWS_IDENTITY_CENTER);
  if (!aws) return undefined;
  const { retrying } = context;
  const userName = context.user.userPrincipalName;
  const user = await retrying(() => aws.findUser(userName));
  if (!user) return { userName, permissionSets: [], groups: [] };
  const assignments = await retrying(() => aws.listAssignments(user.id));
  const accounts = new Map<string, string[]>();
  for (const { permissionSetArn, accountId } of assignments) {
    const list = accounts.get(permissionSetArn) ?? [];
    if (!list.includes(accountId)) list.push(accountId);
    accounts.set(permissionSetArn, list);
  }
  const permissionSets: AwsPermissionSetHeld[] = [];
  for (const [arn, list] of accounts) {
    const name = await retrying(() => aws.permissionSetName(arn));
    permissionSets.push({ arn, name, accounts: [...list].sort() });
  }
  const groups = (await retrying(() => aws.listGroupMemberships(user.id))).map((m) => m.groupName);
  return { userName, user, permissionSets, groups };
}

export function planAws(
  inventory: AwsInventory,
  context: { planned: ReadonlySet<string> },
): PlanPart {
  if (!inventory.user)
    return {
      steps: [],
      notes: [
        `AWS IAM Identity Center has no user named ${inventory.userName}: nothing planned in AWS (a user there under another userName was not looked for).`,
      ],
    };
  // After the Entra disable: no new portal sign-in can then add a session the deny misses.
  const first = after(context.planned, ENTRA_ACCOUNT_STEP_IDS.disable);
  const steps: Step[] = inventory.permissionSets.map((set) => ({
    ...pendingStep(
      denyStepId(set.arn),
      AWS_KINDS.denySessions,
      `Deny every AWS action to ${inventory.user?.userName ?? ''}'s role sessions under permission set ${set.name} (accounts ${set.accounts.join(', ')})`,
      first,
    ),
    subject: { id: set.arn, name: set.name },
  }));
  if (inventory.groups.length > 0)
    steps.push({
      ...pendingStep(
        AWS_STEP_IDS.groups,
        AWS_KINDS.removeGroups,
        `Remove ${inventory.user.userName} from the IAM Identity Center groups ${inventory.groups.join(', ')}`,
        first,
      ),
      subject: { id: inventory.user.id, name: inventory.user.userName },
    });
  const notes =
    inventory.permissionSets.length === 0
      ? [
          `AWS IAM Identity Center: ${inventory.user.userName} holds no permission set, so no AWS account session is denied.`,
        ]
      : [];
  return { steps, notes };
}

export function restoreAws(original: RevocationRequest): RestorePart {
  const part: RestorePart = { steps: [], notes: [], notRestored: [] };
  for (const step of stepsOfKind(original, AWS_KINDS.denySessions)) {
    // Only a statement this run added is taken out; one that was there before stays.
    if (step.facts?.['hadStatement'] !== false || !step.subject) continue;
    part.steps.push({
      ...pendingStep(
        `restore-${step.id}`,
        AWS_KINDS.removeDeny,
        `Remove Revoke's deny statement from permission set ${subjectName(step)}`,
      ),
      subject: { ...step.subject },
    });
  }
  for (const step of stepsOfKind(original, AWS_KINDS.removeGroups)) {
    for (const group of groupsBefore(step)) {
      part.steps.push({
        ...pendingStep(
          `restore-aws-group-${group.id}`,
          AWS_KINDS.addGroup,
          `Add the user to the IAM Identity Center group ${group.name} again`,
        ),
        subject: { id: group.id, name: group.name },
      });
    }
  }
  if (stepsOfKind(original, AWS_KINDS.denySessions).some(succeeded))
    part.notRestored.push(
      'AWS role sessions ended by the deny are not restored: the user signs in to the AWS access portal again.',
    );
  return part;
}

function groupsBefore(step: Step): Array<{ id: string; name: string }> {
  const raw = step.facts?.['groupsBefore'];
  if (typeof raw !== 'string') return [];
  try {
    const parsed = JSON.parse(raw) as unknown;
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (g): g is { id: string; name: string } =>
        typeof g === 'object' &&
        g !== null &&
        typeof (g as { id?: unknown }).id === 'string' &&
        typeof (g as { name?: unknown }).name === 'string',
    );
  } catch {
    return [];
  }
}

/**
 * What AWS access survives. Sources: permission set session duration is 1 to 12 hours
 * (https://docs.aws.amazon.com/singlesignon/latest/userguide/howtosessionduration.html); IAM users'
 * access keys are long-term credentials that work until deleted or deactivated
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html); ending the
 * user's AWS access portal session is a console-only step (revoke-user-permissions.html above).
 */
function awsLines(request: RevocationRequest): ResidualLine[] {
  const denies = stepsOfKind(request, AWS_KINDS.denySessions);
  const groups = stepsOfKind(request, AWS_KINDS.removeGroups);
  if (denies.length === 0 && groups.length === 0) return [];
  const denied = denies
    .filter(confirmed)
    .map((s) => `${subjectName(s)} (${clock(s.finishedAt ?? '')})`);
  const notDenied = denies.filter((s) => !confirmed(s)).map(subjectName);
  const did = [
    denied.length > 0
      ? `denied every action to the user's role sessions under ${denied.join(', ')}`
      : 'denied no permission set',
    groups.some(confirmed) ? 'removed the user from their Identity Center groups' : '',
    notDenied.length > 0 ? `NOT denied under ${notDenied.join(', ')}` : '',
  ].filter((part) => part !== '');
  return [
    {
      what: 'AWS access outside the permission sets found: IAM users’ long-term access keys, and role sessions from permission sets assigned after the look-up',
      until:
        notDenied.length > 0
          ? `role sessions under ${notDenied.join(', ')} until their session duration ends (up to 12 h); access keys until deleted`
          : 'role sessions from other permission sets until their session duration ends (up to 12 h); access keys until deleted',
      revokeDid: did.join('; '),
      adminCan:
        "delete the user's active session in the IAM Identity Center console (no API does this); deactivate any IAM user access keys the person holds in each account; for organization-wide cover, add the user's identity store id to an SCP deny",
    },
  ];
}

async function provisionOrThrow(
  context: StepContext,
  aws: AwsIdentityCenter,
  arn: string,
  name: string,
): Promise<void> {
  const result = await context.retrying(() => aws.provision(arn));
  if (result.state === 'failed')
    throw new DirectoryError('rejected', `Provisioning ${name} failed: ${result.reason}`);
  // Still running: worth another attempt of the (idempotent) step, like any transient failure.
  if (result.state === 'in_progress')
    throw new DirectoryError(
      'transient',
      `Provisioning ${name} is still in progress (request ${result.requestId}).`,
    );
}

function noUser(userName: string) {
  return noAccount(
    `AWS IAM Identity Center: no user named ${userName}`,
    `no user named ${userName} in the identity store; a user there under another userName was not looked for`,
  );
}

function requireAws(context: StepContext): AwsIdentityCenter {
  const aws = context.connectors?.get(AWS_IDENTITY_CENTER);
  if (!aws)
    throw new DirectoryError(
      'misconfigured',
      'AWS IAM Identity Center is not configured (AWS_SSO_INSTANCE_ARN), but the plan has an AWS step.',
    );
  return aws;
}
