// How a connector beyond Microsoft (a SaaS app's API) is configured, connected, shown in the
// sandbox and checked by the doctor: one set-up per connector, listed in index.ts. Its access path
// (src/core/paths/) reaches it through the key the set-up registers it under.
import type { Connectors } from '../core/paths/connectors';
import type { Logger } from '../core/ports';
import type { CheckResult } from '../doctor/check-result';
import type { SandboxTenant } from '../directory/sandbox';
import type { EnvReader } from '../env-reader';

export interface ConnectorSetup<Settings> {
  /** Lower-case, as logs and the doctor name it. */
  name: string;
  /** Every variable it reads: each names a real system, so the sandbox refuses them all. */
  variables: readonly string[];
  /**
   * Its settings, or undefined when it is not configured (its variables unset). Each bad or
   * missing variable is reported through `read.problem`, so start-up names them all at once.
   */
  read(read: EnvReader): Settings | undefined;
  /** Registers the real adapter under its key. Secrets stay inside the adapter. */
  connect(settings: Settings, connectors: Connectors, logger: Logger): void;
  /** Registers the sandbox's in-memory stand-in of the app, seeded from the demo tenant. */
  sandbox(connectors: Connectors, tenant: SandboxTenant): void;
  /** Read-only checks for `revoke doctor`: credentials and scopes, never a change. */
  doctor(settings: Settings): Promise<CheckResult[]>;
  /** What is safe to log about it at start: never a secret. */
  describe(settings: Settings): Record<string, string | boolean>;
}

/** A set-up whose settings were read: what the rest of the app holds, its settings hidden. */
export interface ConfiguredConnector {
  name: string;
  connect(connectors: Connectors, logger: Logger): void;
  doctor(): Promise<CheckResult[]>;
  describe(): Record<string, string | boolean>;
}

/** A set-up with its settings type hidden, so different connectors sit in one list. */
export interface RegisteredSetup {
  name: string;
  variables: readonly string[];
  read(read: EnvReader): ConfiguredConnector | undefined;
  sandbox(connectors: Connectors, tenant: SandboxTenant): void;
}

export function registeredSetup<Settings>(setup: ConnectorSetup<Settings>): RegisteredSetup {
  return {
    name: setup.name,
    variables: setup.variables,
    sandbox: (connectors, tenant) => setup.sandbox(connectors, tenant),
    read(reader) {
      const settings = setup.read(reader);
      if (settings === undefined) return undefined;
      return {
        name: setup.name,
        connect: (connectors, logger) => setup.connect(settings, connectors, logger),
        doctor: () => setup.doctor(settings),
        describe: () => setup.describe(settings),
      };
    },
  };
}
