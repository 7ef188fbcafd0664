// The app deprovisioning steps. Like every step they check, act only when needed, read back, and
// remember the state they found, so a run resumed after a crash can repeat them.
import type { AppProvisioning, ScimApps } from '../app-ports';
import { DirectoryError } from '../errors';
import type { StepAction, StepContext } from './step-context';
import { requireSubject, verificationFailed } from './step-helpers';
import { noAccount, verified } from './step-result';

export const APP_ACTIONS = {
  'app.provisionOnDemand': async (context) => {
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

  'app.scimDeactivate': async (context) => {
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
