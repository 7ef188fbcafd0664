// Applications that keep their own accounts and sessions, which disabling the Entra ID account
// does not end: the enterprise apps Entra ID provisions (provisioning on demand pushes the disable
// now instead of at the next cycle) and the apps reached over their own SCIM endpoint. Every
// profile gets them: a leaver and an attacker alike must lose these apps.
import type { AppProvisioning, ScimApps } from '../app-ports';
import { DirectoryError } from '../errors';
import type { RevocationRequest, Step } from '../model';
import type { StepAction, StepContext } from '../revocation/step-context';
import { requireSubject, verificationFailed } from '../revocation/step-helpers';
import { noAccount, verified } from '../revocation/step-result';
import { pendingStep, type AccessPath, type GatherContext, type ResidualLine } from './access-path';
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
} as const;

export interface AppInventory {
  /** Configured provisioned apps, named as Entra ID names them (the id when it cannot say). */
  provisioned: Array<{ id: string; name: string }>;
  /** Configured SCIM apps, by their configured name. */
  scim: string[];
}

export function provisioningStepId(servicePrincipalId: string): string {
  return `provision-${servicePrincipalId}`;
}

export function scimStepId(app: string): string {
  return `scim-${app.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
}

const actions = {
  [APP_KINDS.provisionOnDemand]: async (context) => {
    const { target, retrying, remember } = context;
    const provisioning = requireProvisioning(context);
    const app = requireSubject(context);
    // Repeating is harmless: the job compares the account with the app and changes only what differs.
    const result = await retrying(() => provisioning.provisionOnDemand(app.id, target.id));
    await remember({ provisioningStatus: result.status });
    if (result.status === 'failure')
      throw verificationFailed(`Entra provisioning to ${app.name} reported: ${result.detail}`);
    // Entra changed nothing in the app for this user (not in the job's scope): nothing there is
    // confirmed deprovisioned, and the card says so rather than "done".
    if (result.status === 'skipped')
      return noAccount(
        `${app.name}: Entra provisioning skipped the user (${result.detail})`,
        `Entra ID does not provision this user to ${app.name}, so it changed nothing there; an account made in the app another way is untouched`,
      );
    return verified(`${app.name}: provisioned on demand, Entra reported ${result.detail}`);
  },

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
} satisfies Record<string, StepAction>;

export const appsPath: AccessPath<AppInventory> = {
  name: 'apps',
  title: 'Provisioned and SCIM apps',
  actions,

  // The same apps for every target: a batch names them once for all its members.
  gather: (context) => context.shared('apps', () => gatherAppInventory(context)),

  plan: (inventory) => ({ steps: appSteps(inventory), notes: [] }),

  restore: (original) => ({ steps: [], notes: [], notRestored: appsNotRestored(original) }),

  residual: { rank: 20, lines: (request) => [cookieLine(request)] },

  graph: [
    { operations: ['listSyncJobs'], onlyFor: 'provisioning on demand (PROVISIONING_APPS)' },
    { operations: ['getSyncSchema'], onlyFor: 'provisioning on demand (PROVISIONING_APPS)' },
    { operations: ['provisionOnDemand'], onlyFor: 'provisioning on demand (PROVISIONING_APPS)' },
  ],
};

export function appSteps(inventory: AppInventory): Step[] {
  const steps: Step[] = [];
  for (const app of inventory.provisioned) {
    steps.push({
      ...pendingStep(
        provisioningStepId(app.id),
        APP_KINDS.provisionOnDemand,
        `Provision ${app.name} on demand (pushes the disabled account to the app now)`,
        // The job reads the account as it is: it must see it disabled.
        [ENTRA_ACCOUNT_STEP_IDS.disable],
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

/** Revoke writes nothing back to an app: which of them stay deprovisioned, and until when. */
function appsNotRestored(original: RevocationRequest): string[] {
  const names = (kind: string) => stepsOfKind(original, kind).filter(succeeded).map(subjectName);
  const notes: string[] = [];
  const provisioned = names(APP_KINDS.provisionOnDemand);
  if (provisioned.length > 0)
    notes.push(
      `Not re-activated by this restore: ${provisioned.join(', ')}. Entra ID provisioning re-activates the user there at its next cycle once the account is enabled (or provision on demand).`,
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
    until:
      toCheck.length === 0 && apps.length > 0
        ? 'in the configured apps, until each app acts on the deprovisioning; elsewhere, until the user is deprovisioned in each app, or its session ends'
        : 'until the user is deprovisioned in each app, or its session ends',
    revokeDid: disabled
      ? `disabled the account, so no new sign-in through Entra ID${known}${appParts}`
      : `the account was not disabled: new sign-ins still work${known}${appParts}`,
    adminCan: adminForApps(notDeprovisioned, [...unconfirmed, ...noAccountIn]),
  };
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
