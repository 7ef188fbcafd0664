// Every connector Revoke can reach beyond Microsoft. Adding one is adding its set-up here; its
// access path goes in src/core/paths/registry.ts.
import type { Connectors } from '../core/paths/connectors';
import type { Logger } from '../core/ports';
import type { SandboxTenant } from '../directory/sandbox';
import type { EnvReader } from '../env-reader';
import { awsIdentityCenterSetup } from './aws-identity-center';
import { registeredSetup, type ConfiguredConnector, type RegisteredSetup } from './connector-setup';
import { githubSetup } from './github';
import { googleWorkspaceSetup } from './google-workspace';
import { OKTA_SETUP } from './okta';
import { sharedSignalsSetup } from './shared-signals';
import { SLACK_SETUP } from './slack';

export const CONNECTOR_SETUPS: readonly RegisteredSetup[] = [
  OKTA_SETUP,
  registeredSetup(awsIdentityCenterSetup),
  registeredSetup(googleWorkspaceSetup),
  registeredSetup(githubSetup),
  SLACK_SETUP,
  registeredSetup(sharedSignalsSetup),
];

/** The connectors whose variables are set, each read and validated. */
export function readConnectors(
  read: EnvReader,
  setups: readonly RegisteredSetup[] = CONNECTOR_SETUPS,
): ConfiguredConnector[] {
  return setups.flatMap((setup) => setup.read(read) ?? []);
}

/** The variables of every connector: each names a real system the sandbox must not reach. */
export function connectorVariables(
  setups: readonly RegisteredSetup[] = CONNECTOR_SETUPS,
): string[] {
  return setups.flatMap((setup) => setup.variables);
}

/** A real tenant: each configured connector's real adapter. */
export function connectConfigured(
  configured: readonly ConfiguredConnector[],
  connectors: Connectors,
  logger: Logger,
): Connectors {
  for (const connector of configured) connector.connect(connectors, logger);
  return connectors;
}

/** The sandbox: every connector's in-memory stand-in, so the demo shows each path. */
export function connectSandbox(
  tenant: SandboxTenant,
  connectors: Connectors,
  setups: readonly RegisteredSetup[] = CONNECTOR_SETUPS,
): Connectors {
  for (const setup of setups) setup.sandbox(connectors, tenant);
  return connectors;
}
