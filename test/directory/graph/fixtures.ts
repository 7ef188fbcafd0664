// Shared set-up for the Graph adapter tests: a started stand-in with one fully permitted app, and
// adapters built exactly as production builds them (real credential, real Graph client, HTTPS).
import { readFileSync } from 'node:fs';
import type { DirectoryError } from '../../../src/core/errors';
import { createGraphDirectory, type GraphDirectory } from '../../../src/directory/graph';
import type { GraphDirectoryConfig } from '../../../src/directory/graph';
import { EntraStandin, ensureTestCa, type StandinApp } from '../../support/entra-standin';

export const ALL_ROLES = [
  'User.Read.All',
  'User.EnableDisableAccount.All',
  'User.RevokeSessions.All',
  'Device.ReadWrite.All',
  'GroupMember.Read.All',
];

export const SECRET = 'Sx8Q~test-secret-value-never-logged';

export interface Harness {
  standin: EntraStandin;
  app: StandinApp;
  directory: GraphDirectory;
  config(overrides?: Partial<GraphDirectoryConfig>): GraphDirectoryConfig;
}

export async function startHarness(): Promise<Harness> {
  if (!process.env['NODE_EXTRA_CA_CERTS']) {
    throw new Error(
      `Run with NODE_EXTRA_CA_CERTS=${ensureTestCa().caCertPath} (scripts/test.sh sets it).`,
    );
  }
  const standin = await new EntraStandin().start();
  const app = standin.state.addApp({ secrets: [SECRET], roles: ALL_ROLES });
  const config = (overrides: Partial<GraphDirectoryConfig> = {}): GraphDirectoryConfig => ({
    tenantId: standin.tenantId,
    clientId: app.clientId,
    clientSecret: SECRET,
    authorityHost: standin.origin,
    graphBaseUrl: standin.origin,
    timeoutMs: 5_000,
    ...overrides,
  });
  return { standin, app, directory: createGraphDirectory(config()), config };
}

/** A second app in the same tenant with only the given roles, and a directory that uses it. */
export function directoryWithRoles(h: Harness, roles: string[]): GraphDirectory {
  const secret = 'limited-app-secret';
  const app = h.standin.state.addApp({ secrets: [secret], roles });
  return createGraphDirectory(h.config({ clientId: app.clientId, clientSecret: secret }));
}

export function testCertificatePem(): { pemPath: string; certPem: string } {
  const ca = ensureTestCa();
  return { pemPath: ca.clientPemPath, certPem: readFileSync(ca.clientCertPath, 'utf8') };
}

export async function rejection(promise: Promise<unknown>): Promise<DirectoryError> {
  try {
    await promise;
  } catch (error) {
    return error as DirectoryError;
  }
  throw new Error('expected the call to fail');
}

/** A token straight from the stand-in's token endpoint, for raw HTTP checks. */
export async function fetchToken(
  standin: EntraStandin,
  clientId: string,
  secret: string,
): Promise<string> {
  const response = await fetch(`${standin.origin}/${standin.tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: secret,
      scope: `${standin.origin}/.default`,
    }),
  });
  const body = (await response.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`no token: ${JSON.stringify(body)}`);
  return body.access_token;
}

/**
 * Registers the hooks every suite here needs: one stand-in for the suite, stopped after it, with
 * faults and the call log cleared before each test. `set` receives the harness once started.
 */
export function useHarness(set: (harness: Harness) => void): void {
  let harness: Harness | undefined;
  before(async () => {
    harness = await startHarness();
    set(harness);
  });
  after(async () => {
    await harness?.standin.stop();
  });
  beforeEach(() => {
    harness?.standin.faults.clear();
    harness?.standin.log.reset();
  });
}
