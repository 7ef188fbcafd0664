// Every access path Revoke closes, in plan order: on-prem first (directory sync would otherwise
// undo the cloud disable), then the Entra ID account, its sessions and devices, the compromised
// profile's containment, device retire, and the apps. Adding a path is adding its module here.
import type { StepAction } from '../revocation/step-context';
import { registered, type RegisteredPath } from './access-path';
import { appsPath } from './apps';
import { awsIdentityCenterPath } from './aws-identity-center';
import { authMethodsPath } from './auth-methods';
import { containmentGroupPath } from './containment-group';
import { entraAccountPath } from './entra-account';
import { entraDevicesPath } from './entra-devices';
import { entraSessionsPath } from './entra-sessions';
import { googleWorkspacePath } from './google-workspace';
import { githubPath } from './github';
import { identityProtectionPath } from './identity-protection';
import { intuneDevicesPath } from './intune-devices';
import { oauthGrantsPath } from './oauth-grants';
import { oktaPath } from './okta';
import { onPremAdPath } from './on-prem-ad';
import { slackPath } from './slack';
import { sharedSignalsPath } from './shared-signals';

export const ACCESS_PATHS: readonly RegisteredPath[] = [
  registered(onPremAdPath),
  registered(entraAccountPath),
  registered(entraSessionsPath),
  registered(entraDevicesPath),
  registered(identityProtectionPath),
  registered(authMethodsPath),
  registered(oauthGrantsPath),
  registered(containmentGroupPath),
  registered(intuneDevicesPath),
  registered(appsPath),
  registered(oktaPath),
  registered(awsIdentityCenterPath),
  registered(googleWorkspacePath),
  registered(githubPath),
  registered(slackPath),
  // Last: its signals report what the paths before it did.
  registered(sharedSignalsPath),
];

/** Two paths claiming one step kind or one name: the registry is wrong, so nothing may start. */
export class AccessPathConflict extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AccessPathConflict';
  }
}

/** The action of every step kind, each owned by exactly one path. */
export function stepActions(paths: readonly RegisteredPath[]): ReadonlyMap<string, StepAction> {
  const owner = new Map<string, string>();
  const actions = new Map<string, StepAction>();
  const names = new Set<string>();
  for (const path of paths) {
    if (names.has(path.name))
      throw new AccessPathConflict(`Two access paths are named ${path.name}.`);
    names.add(path.name);
    for (const [kind, action] of Object.entries(path.actions)) {
      const earlier = owner.get(kind);
      if (earlier !== undefined)
        throw new AccessPathConflict(
          `The step kind ${kind} is claimed by both ${earlier} and ${path.name}.`,
        );
      owner.set(kind, path.name);
      actions.set(kind, action);
    }
  }
  return actions;
}

export const STEP_ACTIONS = stepActions(ACCESS_PATHS);
