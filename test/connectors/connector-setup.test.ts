// The set-up of a connector beyond Microsoft: read from its variables (all problems at once), off
// when they are unset, connected under its key, its stand-in in the sandbox, checked read-only.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
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
import { testAuditKeyText } from '../support/memory-audit-log';
import { assertSandboxIsolated, loadConfig } from '../../src/config';
import { projectRoot } from '../../src/project-root';

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

describe('the configured connectors and the sandbox', () => {
  it('refuses to start a sandbox with a connector’s variable set (it names a real app)', () => {
    const config = loadConfig({ OKTA_ORG_URL: 'https://acme.okta.com' }, projectRoot());
    assert.throws(
      () => assertSandboxIsolated(config),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.problems.some((p) => /^OKTA_ORG_URL is set but AZURE_TENANT_ID is not/.test(p)),
    );
  });

  it('reads Okta with a real tenant, naming every problem of its variables at once', () => {
    assert.throws(
      () =>
        loadConfig(
          {
            AZURE_TENANT_ID: '23c74162-706a-4cde-a310-c1f97bc2fed7',
            AZURE_CLIENT_ID: '11111111-1111-1111-1111-111111111111',
            AZURE_CLIENT_SECRET: 'x',
            APPROVER_GROUP_ID: '22222222-2222-2222-2222-222222222222',
            AUDIT_KEY: testAuditKeyText(),
            OKTA_ORG_URL: 'http://acme.okta.com',
          },
          projectRoot(),
        ),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.problems.some((p) => p.startsWith('OKTA_ORG_URL must be an https:// URL')) &&
        error.problems.some((p) => p.startsWith('OKTA_CLIENT_ID is required')),
    );
  });
});

describe('what reading the configuration loads', () => {
  it('leaves the Okta SDK unloaded until Okta is first called (it costs about a second)', () => {
    const script = [
      "const { loadConfig } = require('./dist/src/config');",
      'loadConfig({}, process.cwd());',
      "console.log(Object.keys(require.cache).filter((k) => k.includes('okta-sdk-nodejs')).length);",
    ].join('\n');
    const loaded = execFileSync(process.execPath, ['-e', script], {
      cwd: projectRoot(),
      encoding: 'utf8',
    });
    assert.equal(loaded.trim(), '0');
  });
});
