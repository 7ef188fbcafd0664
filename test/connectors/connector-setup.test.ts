// The set-up of a connector beyond Microsoft: read from its variables (all problems at once), off
// when they are unset, connected under its key, its stand-in in the sandbox, checked read-only.
import { strict as assert } from 'node:assert';
import { registeredSetup, type ConnectorSetup } from '../../src/connectors/connector-setup';
import {
  connectConfigured,
  connectSandbox,
  connectorVariables,
  readConnectors,
} from '../../src/connectors';
import { Connectors, connectorKey } from '../../src/core/paths/connectors';
import { loadSandboxTenant } from '../../src/directory/sandbox';
import { ok } from '../../src/doctor/check-result';
import { ConfigError, EnvReader } from '../../src/env-reader';
import { captureLogger } from '../support/capture-logger';

interface Acme {
  origin: string;
}
const ACME = connectorKey<Acme>('acme');

const acmeSetup: ConnectorSetup<{ url: string; token: string }> = {
  name: 'acme',
  variables: ['ACME_URL', 'ACME_TOKEN'],
  read(read) {
    if (read.optional('ACME_URL') === undefined && read.optional('ACME_TOKEN') === undefined)
      return undefined;
    const url = read.httpsUrl('ACME_URL', 'https://acme.invalid');
    const token = read.required('ACME_TOKEN', 'the Acme API token');
    return { url, token };
  },
  connect: (settings, connectors) => void connectors.set(ACME, { origin: settings.url }),
  sandbox: (connectors) => void connectors.set(ACME, { origin: 'sandbox' }),
  doctor: (settings) => Promise.resolve([ok('Acme', `reached ${settings.url}`)]),
  describe: (settings) => ({ url: settings.url, token: settings.token !== '' }),
};
const SETUPS = [registeredSetup(acmeSetup)];

describe('connector set-ups', () => {
  it('is off when none of its variables is set', () => {
    const read = new EnvReader({});
    assert.deepEqual(readConnectors(read, SETUPS), []);
    read.throwIfProblems();
  });

  it('names every bad or missing variable at once', () => {
    const read = new EnvReader({ ACME_URL: 'http://acme.example' });
    readConnectors(read, SETUPS);
    assert.throws(
      () => read.throwIfProblems(),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.problems.some((p) => p.startsWith('ACME_URL must be an https:// URL')) &&
        error.problems.some((p) => p.startsWith('ACME_TOKEN is required')),
    );
  });

  it('connects a configured one under its key, runs its checks and never describes its secret', async () => {
    const read = new EnvReader({ ACME_URL: 'https://acme.example', ACME_TOKEN: 'sekret-token' });
    const configured = readConnectors(read, SETUPS);
    read.throwIfProblems();
    const connectors = connectConfigured(configured, new Connectors(), captureLogger([]));
    assert.deepEqual(connectors.get(ACME), { origin: 'https://acme.example' });
    assert.deepEqual(await configured[0]?.doctor(), [ok('Acme', 'reached https://acme.example')]);
    assert.ok(!JSON.stringify(configured.map((c) => c.describe())).includes('sekret-token'));
  });

  it('gives the sandbox its stand-in, and lists its variables for the sandbox to refuse', async () => {
    const tenant = await loadSandboxTenant();
    assert.deepEqual(connectSandbox(tenant, new Connectors(), SETUPS).get(ACME), {
      origin: 'sandbox',
    });
    assert.deepEqual(connectorVariables(SETUPS), ['ACME_URL', 'ACME_TOKEN']);
  });

  it('refuses one connector registered twice under one key', () => {
    const connectors = new Connectors().set(ACME, { origin: 'a' });
    assert.throws(
      () => connectors.set(ACME, { origin: 'b' }),
      /Connector acme is registered twice/,
    );
  });
});
