// The app deprovisioning steps. Like every step they check, act only when needed, read back, and
// remember the state they found, so a run resumed after a crash can repeat them.
import type { AppProvisioning, ScimApps } from '../app-ports';
import { DirectoryError } from '../errors';
import type { StepAction, StepContext } from './step-actions';
import { requireSubject } from './containment-actions';
import { verificationFailed } from './step-helpers';

export const APP_ACTIONS = {
  'app.provisionOnDemand': async (context) => {
    const { target, call, remember } = context;
    const provisioning = requireProvisioning(context);
    const app = requireSubject(context);
    // Repeating is harmless: the job compares the account with the app and changes only what differs.
    const result = await call(() => provisioning.provisionOnDemand(app.id, target.id));
    await remember({ provisioningStatus: result.status });
    if (result.status === 'failure')
      throw verificationFailed(`Entra provisioning to ${app.name} reported: ${result.detail}`);
    return result.status === 'skipped'
      ? `${app.name}: nothing to do (${result.detail})`
      : `${app.name}: provisioned on demand (${result.detail})`;
  },

  'app.scimDeactivate': async (context) => {
    const { target, call, remember } = context;
    const scim = requireScim(context);
    const app = requireSubject(context).name;
    const userName = target.userPrincipalName;
    const found = await call(() => scim.findUser(app, userName));
    if (!found) {
      await remember({ scimAccount: false });
      return `${app} has no account ${userName}: nothing to do`;
    }
    await remember({ scimAccount: true, wasActive: found.active });
    if (found.active) await call(() => scim.deactivateUser(app, found.id));
    const after = await call(() => scim.getUser(app, found.id));
    // Deleted between the two calls: it cannot sign in either.
    if (!after) return `${app}: the account ${userName} is gone`;
    if (after.active) throw verificationFailed(`${app} still shows ${userName} as active.`);
    return found.active
      ? `${app}: ${userName} deactivated (active=false)`
      : `${app}: ${userName} was already inactive`;
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
