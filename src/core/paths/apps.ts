// Applications that keep their own accounts and sessions, which disabling the Entra ID account
// does not end: the enterprise apps Entra ID provisions and the apps reached over their own SCIM
// endpoint. Every profile gets them: a leaver and an attacker alike must lose these apps.
//
// Provisioned apps, and why the order matters. Microsoft documents that on-demand provisioning
// "supports disabling users that have been unassigned from the application" but "doesn't support
// disabling or deleting users that have been disabled or deleted" from Entra ID
// (https://learn.microsoft.com/entra/identity/app-provisioning/provision-on-demand, "Known
// limitations"). Run after the Entra disable, it would change nothing and the app would learn only
// at the job's next cycle. So, before the disable, the step removes the user's own app role
// assignments (saved for a restore) and provisions on demand: the job sees an enabled user out of
// scope and deprovisions them now. A group assignment cannot be removed for one user; then the
// step says the app waits for the next cycle, which deprovisions the disabled account.
import type { AppAssignment, AppProvisioning, ScimApps } from '../app-ports';
import { DirectoryError } from '../errors';
import type { RevocationRequest, Step } from '../model';
import type { StepAction, StepContext } from '../revocation/step-context';
import { requireSubject, verificationFailed } from '../revocation/step-helpers';
import { noAccount, unverifiable, verified, type StepResult } from '../revocation/step-result';
import {
  pendingStep,
  type AccessPath,
  type GatherContext,
  type ResidualLine,
  type RestorePart,
} from './access-path';
import { ENTRA_ACCOUNT_KINDS, ENTRA_ACCOUNT_STEP_IDS } from './entra-account';
import { OAUTH_GRANT_KINDS } from './oauth-grants';
import {
  clock,
  confirmed,
  stepOfKind,
  stepsOfKind,
  subjectName,
  succeeded,
} from './residual-helpers';

export const APP_KINDS = {
  provisionOnDemand: 'app.provisionOnDemand',
  scimDeactivate: 'app.scimDeactivate',
  reassign: 'restore.reassignApp',
} as const;

/** The facts the provisioning step saves: the app roles it unassigned, comma-separated. */
const REMOVED_ROLES = 'removedAppRoleIds';

/**
 * Entra ID's incremental provisioning cycles run about every 40 minutes, the interval depending on
 * the app (https://learn.microsoft.com/entra/identity/app-provisioning/application-provisioning-when-will-provisioning-finish-specific-user);
 * a user disabled in Entra ID is disabled in the app at the next one
 * (https://learn.microsoft.com/entra/identity/app-provisioning/how-provisioning-works, "Deprovisioning").
 */
const NEXT_CYCLE =
  "Entra ID's next provisioning cycle (typically within 40 minutes) disables the account in the app once it sees the Entra ID account disabled";

export interface AppInventory {
  /** Configured provisioned apps, named as Entra ID names them (the id when it cannot say). */
  provisioned: Array<{ id: string; name: string }>;
  /** Configured SCIM apps, by their configured name. */
  scim: string[];
}

export function provisioningStepId(servicePrincipalId: string): string {
  return `provision-${servicePrincipalId}`;
}

export function reassignStepId(servicePrincipalId: string): string {
  return `restore-provision-${servicePrincipalId}`;
}

export function scimStepId(app: string): string {
  return `scim-${app.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
}

const actions = {
  [APP_KINDS.provisionOnDemand]: (context) => unassignAndProvision(context),

  [APP_KINDS.scimDeactivate]: async (context) => {
    const { target, retrying, remember } = context;
    const scim = requireScim(context);
    const app = requireSubject(context).name;
    const userName = target.userPrincipalName;
    const found = await retrying(() => scim.findUser(app, userName));
    if (!found) {
      await remember({ scimAccount: false });
      // Not "nothing to do": an account under another userName would not be found, so the card
      // shows this apart from a deactivation and never counts it as deprovisioned.
      return noAccount(
        `${app}: no account found for userName ${userName}`,
        `no account found for userName ${userName} in ${app}; an account there under another userName was not looked for`,
      );
    }
    await remember({ scimAccount: true, wasActive: found.active });
    if (found.active) await retrying(() => scim.deactivateUser(app, found.id));
    const after = await retrying(() => scim.getUser(app, found.id));
    // Deleted between the two calls (the app answered 404): it cannot sign in either.
    if (!after) return verified(`${app}: the account ${userName} is gone (404 on read-back)`);
    if (after.active) throw verificationFailed(`${app} still shows ${userName} as active.`);
    return verified(
      found.active
        ? `${app}: ${userName} deactivated (active=false read back)`
        : `${app}: ${userName} was already inactive`,
    );
  },

  [APP_KINDS.reassign]: async (context) => {
    const { target, retrying } = context;
    const provisioning = requireProvisioning(context);
    const app = requireSubject(context);
    const roles = roleList(context.step.facts?.[REMOVED_ROLES]);
    for (const role of roles)
      await retrying(() => provisioning.addAppAssignment(app.id, target.id, role));
    const held = new Set(
      (await retrying(() => provisioning.listAppAssignments(app.id, target.id)))
        .filter((a) => a.principalType === 'User')
        .map((a) => a.appRoleId),
    );
    const missing = roles.filter((role) => !held.has(role));
    if (missing.length > 0)
      throw verificationFailed(
        `${app.name} does not list ${count(missing.length, 'app role')} of the user again.`,
      );
    return verified(
      `${app.name}: assigned again (${count(roles.length, 'app role')} the revocation removed); the account in the app is re-activated by the job's next cycle once the Entra ID account is enabled, or by provisioning on demand`,
    );
  },
} satisfies Record<string, StepAction>;

export const appsPath: AccessPath<AppInventory> = {
  name: 'apps',
  title: 'Provisioned and SCIM apps',
  actions,

  // The same apps for every target: a batch names them once for all its members.
  gather: (context) => context.shared('apps', () => gatherAppInventory(context)),

  plan: (inventory) => ({
    steps: appSteps(inventory),
    notes:
      inventory.provisioned.length === 0
        ? []
        : [
            `The Entra ID disable waits for provisioning on demand to ${inventory.provisioned.map((a) => a.name).join(', ')}: Entra ID's on-demand provisioning does not process a user already disabled, but does deprovision one unassigned from the app, so Revoke removes the user's own assignments and provisions on demand first; the disable starts as soon as that step ends, succeeded or not.`,
          ],
    // The job must see the account still enabled but unassigned (see the top of this file).
    runsBefore: inventory.provisioned.map((app) => ({
      step: provisioningStepId(app.id),
      before: ENTRA_ACCOUNT_STEP_IDS.disable,
    })),
  }),

  restore: (original) => {
    const part: RestorePart = { steps: [], notes: [], notRestored: appsNotRestored(original) };
    for (const step of stepsOfKind(original, APP_KINDS.provisionOnDemand)) {
      const roles = roleList(step.facts?.[REMOVED_ROLES]);
      if (roles.length === 0 || !step.subject) continue;
      part.steps.push({
        ...pendingStep(
          reassignStepId(step.subject.id),
          APP_KINDS.reassign,
          `Assign the user to ${step.subject.name} again (${count(roles.length, 'app role')} the revocation removed)`,
        ),
        subject: { ...step.subject },
        // What the revocation removed, exactly: the restore re-adds these and nothing else.
        facts: { [REMOVED_ROLES]: roles.join(',') },
      });
    }
    return part;
  },

  residual: { rank: 20, lines: (request) => [cookieLine(request)] },

  graph: [
    { operations: ['listSyncJobs'], onlyFor: 'provisioning on demand (PROVISIONING_APPS)' },
    { operations: ['getSyncSchema'], onlyFor: 'provisioning on demand (PROVISIONING_APPS)' },
    { operations: ['provisionOnDemand'], onlyFor: 'provisioning on demand (PROVISIONING_APPS)' },
    {
      operations: ['listAppRoleAssignments'],
      onlyFor: 'provisioning on demand (PROVISIONING_APPS)',
    },
    {
      operations: ['removeAppRoleAssignment'],
      onlyFor: 'provisioning on demand (PROVISIONING_APPS)',
    },
    {
      operations: ['addAppRoleAssignment'],
      onlyFor: 'restoring provisioned apps after a false alarm',
    },
  ],
};

export function appSteps(inventory: AppInventory): Step[] {
  const steps: Step[] = [];
  for (const app of inventory.provisioned) {
    steps.push({
      ...pendingStep(
        provisioningStepId(app.id),
        APP_KINDS.provisionOnDemand,
        `Unassign from ${app.name} and provision on demand (the app disables the account now)`,
      ),
      subject: { ...app },
    });
  }
  for (const app of inventory.scim) {
    steps.push({
      ...pendingStep(
        scimStepId(app),
        APP_KINDS.scimDeactivate,
        `Deactivate the user in ${app} (SCIM)`,
      ),
      subject: { id: app, name: app },
    });
  }
  return steps;
}

/**
 * Names the apps the plan deprovisions from, so the approvers see them before they approve. Nothing
 * here calls a SCIM app: an app that is down must not stop an emergency request from being made
 * (its step says so when it runs).
 */
async function gatherAppInventory(context: GatherContext): Promise<AppInventory | undefined> {
  const { provisioning, scim, settings } = context;
  const scimNames = scim?.names() ?? [];
  const ids = provisioning ? (settings.provisioningAppIds ?? []) : [];
  if (ids.length === 0 && scimNames.length === 0) return undefined;
  const provisioned = await Promise.all(
    ids.map(async (id) => ({
      id,
      name: (await nameOf(context, provisioning, id)) ?? `app ${id}`,
    })),
  );
  return { provisioned, scim: scimNames };
}

/** Best effort: the name makes the card readable; the id is enough to act. */
async function nameOf(
  context: GatherContext,
  provisioning: AppProvisioning | undefined,
  id: string,
): Promise<string | undefined> {
  try {
    return await context.retrying(() =>
      provisioning ? provisioning.getProvisionedAppName(id) : Promise.resolve(undefined),
    );
  } catch {
    return undefined;
  }
}

/**
 * Revoke writes nothing into an app itself: the restore re-adds the assignments it removed, and
 * Entra ID's provisioning re-activates the account; SCIM apps stay as the revocation left them.
 */
function appsNotRestored(original: RevocationRequest): string[] {
  const names = (kind: string) => stepsOfKind(original, kind).filter(succeeded).map(subjectName);
  const notes: string[] = [];
  const provisioned = names(APP_KINDS.provisionOnDemand);
  if (provisioned.length > 0)
    notes.push(
      `Not re-activated by this restore: ${provisioned.join(', ')}. Entra ID provisioning re-activates the user there at its next cycle once the account is enabled and assigned again (or provision on demand).`,
    );
  const scim = names(APP_KINDS.scimDeactivate);
  if (scim.length > 0)
    notes.push(
      `Stay deactivated: ${scim.join(', ')} (SCIM). Re-activate the user in each app by hand.`,
    );
  return notes;
}

function cookieLine(request: RevocationRequest): ResidualLine {
  const disabled = succeeded(stepOfKind(request, ENTRA_ACCOUNT_KINDS.disable));
  const consented = stepsOfKind(request, OAUTH_GRANT_KINDS.remove)
    .filter(succeeded)
    .map(subjectName);
  const known =
    consented.length > 0
      ? `; known apps of this user (consent removed): ${consented.join(', ')}`
      : '';
  const apps = request.steps.filter(
    (s) => s.kind === APP_KINDS.provisionOnDemand || s.kind === APP_KINDS.scimDeactivate,
  );
  // Only a read-back counts as deprovisioned; "no account found" and "accepted" are named apart.
  const deprovisioned = apps
    .filter(confirmed)
    .map((s) => `${subjectName(s)} (${clock(s.finishedAt ?? '')})`);
  const unconfirmed = apps
    .filter((s) => succeeded(s) && s.verification?.state === 'unverifiable')
    .map(subjectName);
  const noAccountIn = apps
    .filter((s) => succeeded(s) && s.verification?.state === 'no_account')
    .map(subjectName);
  const notDeprovisioned = apps.filter((s) => !succeeded(s)).map(subjectName);
  const appParts = [
    deprovisioned.length > 0 ? `; deprovisioned from ${deprovisioned.join(', ')}` : '',
    unconfirmed.length > 0 ? `; asked, but not confirmed, in ${unconfirmed.join(', ')}` : '',
    noAccountIn.length > 0 ? `; found no account to deprovision in ${noAccountIn.join(', ')}` : '',
    notDeprovisioned.length > 0 ? `; NOT deprovisioned from ${notDeprovisioned.join(', ')}` : '',
  ].join('');
  const toCheck = [...notDeprovisioned, ...unconfirmed, ...noAccountIn];
  return {
    what: 'Apps that keep their own session cookie after sign-in',
    until: `${
      toCheck.length === 0 && apps.length > 0
        ? 'in the configured apps, until each app acts on the deprovisioning; elsewhere, until the user is deprovisioned in each app, or its session ends'
        : 'until the user is deprovisioned in each app, or its session ends'
    }${nextCycle(request)}`,
    revokeDid: disabled
      ? `disabled the account, so no new sign-in through Entra ID${known}${appParts}`
      : `the account was not disabled: new sign-ins still work${known}${appParts}`,
    adminCan: adminForApps(notDeprovisioned, [...unconfirmed, ...noAccountIn]),
  };
}

/** What Entra ID's next provisioning cycle does in each provisioned app, after this run. */
function nextCycle(request: RevocationRequest): string {
  const steps = stepsOfKind(request, APP_KINDS.provisionOnDemand);
  const kept = steps.filter(confirmed).map(subjectName);
  const waiting = steps
    .filter((s) => !confirmed(s) && s.verification?.state !== 'no_account')
    .map(subjectName);
  return [
    waiting.length > 0
      ? `; in ${waiting.join(', ')}: until Entra ID's next provisioning cycle (typically within 40 minutes) disables the account there, which it does once it sees the Entra ID account disabled`
      : '',
    kept.length > 0
      ? `; Entra ID's next provisioning cycle keeps the account in ${kept.join(', ')} deprovisioned (the user is no longer assigned)`
      : '',
  ].join('');
}

function adminForApps(failed: readonly string[], unchecked: readonly string[]): string {
  const parts: string[] = [];
  if (failed.length > 0)
    parts.push(`retry the failed steps, or deprovision the user by hand in ${failed.join(', ')}`);
  if (unchecked.length > 0)
    parts.push(`check by hand that the user has no active account in ${unchecked.join(', ')}`);
  if (parts.length === 0)
    return "end the user's sessions or deprovision them in each app that keeps its own session";
  return `${parts.join('; ')}; end their sessions in every other app that keeps its own`;
}

/**
 * (a) saves and (b) removes the user's own assignments to the app, then (c) provisions on demand
 * while the account is still enabled. Repeatable: a run after a crash finds the assignments already
 * gone, and `remember` keeps what the first attempt saved.
 */
async function unassignAndProvision(context: StepContext): Promise<StepResult> {
  const { target, directory, retrying, remember } = context;
  const provisioning = requireProvisioning(context);
  const app = requireSubject(context);
  const before = await retrying(() => provisioning.listAppAssignments(app.id, target.id));
  const own = before.filter((a) => a.principalType === 'User');
  await remember({ [REMOVED_ROLES]: own.map((a) => a.appRoleId).join(',') });
  for (const assignment of own)
    await retrying(() => provisioning.removeAppAssignment(target.id, assignment.id));
  const after = await retrying(() => provisioning.listAppAssignments(app.id, target.id));
  if (after.some((a) => a.principalType === 'User'))
    throw verificationFailed(`${app.name} still lists an assignment of the user.`);
  const removed =
    own.length === 0
      ? 'no assignment of the user to remove'
      : `removed ${count(own.length, 'assignment')} of the user`;

  const groups = groupNames(after);
  if (groups.length > 0) {
    await remember({ inScopeThroughGroups: groups.join(', ') });
    return unverifiable(
      `${app.name}: ${removed}; still assigned through ${groups.join(', ')}, so not deprovisioned now`,
      `the user stays in ${app.name}'s provisioning scope through the group${groups.length === 1 ? '' : 's'} ${groups.join(', ')}, which Revoke does not change for one user; ${NEXT_CYCLE}`,
    );
  }

  const user = await retrying(() => directory.getUser(target.id));
  if (!user)
    throw new DirectoryError(
      'not_found',
      `${target.userPrincipalName} no longer exists in Entra ID.`,
    );
  if (!user.accountEnabled)
    return unverifiable(
      `${app.name}: ${removed}; the Entra ID account is already disabled, which on-demand provisioning does not process`,
      `Entra ID's on-demand provisioning does not process a user disabled in Entra ID; ${NEXT_CYCLE}`,
    );

  // Repeating is harmless: the job compares the account with the app and changes only what differs.
  const result = await retrying(() => provisioning.provisionOnDemand(app.id, target.id));
  await remember({ provisioningStatus: result.status });
  if (result.status === 'failure')
    throw verificationFailed(`Entra provisioning to ${app.name} reported: ${result.detail}`);
  if (result.deprovisioned)
    return verified(
      `${app.name}: ${removed}; provisioned on demand, Entra reported ${result.detail}`,
    );
  // Entra changed nothing in the app for this user (never provisioned there): nothing there is
  // confirmed deprovisioned, and the card says so rather than "done".
  if (result.status === 'skipped')
    return noAccount(
      `${app.name}: ${removed}; Entra provisioning skipped the user (${result.detail})`,
      `Entra ID does not provision this user to ${app.name}, so it changed nothing there; an account made in the app another way is untouched`,
    );
  // Updated, not deprovisioned: the job's scope reaches the user some other way ("sync all users
  // and groups", a scoping filter).
  return unverifiable(
    `${app.name}: ${removed}; provisioned on demand, but Entra reported an update, not a deprovisioning (${result.detail})`,
    `the job still provisions the user to ${app.name} (its scope may be all users rather than assigned ones); ${NEXT_CYCLE}`,
  );
}

function groupNames(assignments: readonly AppAssignment[]): string[] {
  return [
    ...new Set(assignments.filter((a) => a.principalType === 'Group').map((a) => a.principalName)),
  ];
}

function roleList(fact: string | number | boolean | undefined): string[] {
  return typeof fact === 'string' ? fact.split(',').filter((role) => role !== '') : [];
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function requireProvisioning(context: StepContext): AppProvisioning {
  if (!context.provisioning) {
    throw new DirectoryError(
      'misconfigured',
      'This deployment cannot provision on demand (no provisioning directory).',
    );
  }
  return context.provisioning;
}

function requireScim(context: StepContext): ScimApps {
  if (!context.scim)
    throw new DirectoryError('misconfigured', 'No SCIM apps are configured (SCIM_APPS).');
  return context.scim;
}
