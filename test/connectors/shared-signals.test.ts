// Shared Signals set-up: SSF_* read and validated at start (one message per problem, no secret
// echoed), refused in the sandbox, and no receiver in the sandbox at all.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertSandboxIsolated, ConfigError, loadConfig, sandboxRefusals } from '../../src/config';
import { connectSandbox } from '../../src/connectors';
import { sharedSignalsSetup } from '../../src/connectors/shared-signals';
import { Connectors } from '../../src/core/paths/connectors';
import { SHARED_SIGNALS } from '../../src/core/saas/ssf-port';
import { loadSandboxTenant } from '../../src/directory/sandbox';
import { EnvReader } from '../../src/env-reader';
import { CONFIG_ROOT as ROOT } from '../support/config-fixtures';
import { writeKeyPair } from '../support/ssf-transmitter-harness';

const TOKEN = 'okta-push-token-never-shown-0123456789';

describe('Shared Signals set-up (SSF_*)', () => {
  let dir: string;
  let keyFile: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'revoke-ssf-env-'));
    keyFile = writeKeyPair(dir, 'key').privateFile;
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function read(env: Record<string, string>) {
    const reader = new EnvReader(env);
    const settings = sharedSignalsSetup.read(reader);
    let problems: string[] = [];
    try {
      reader.throwIfProblems();
    } catch (error) {
      problems = (error as ConfigError).problems;
    }
    return { settings, problems };
  }

  const receivers = (entry: Record<string, unknown>) => JSON.stringify([entry]);
  const okta = {
    name: 'okta',
    pushUrl: 'https://contoso.okta.example/security/api/v1/security-events',
    audience: 'https://contoso.okta.example',
    tokenVariable: 'SSF_OKTA_TOKEN',
  };

  it('is not configured without SSF_ISSUER', () => {
    assert.deepEqual(read({}), { settings: undefined, problems: [] });
  });

  it('reads a static receiver and a stream client, tokens from the variables they name', () => {
    const { settings, problems } = read({
      SSF_ISSUER: 'https://revoke.contoso.example/',
      SSF_SIGNING_KEY: keyFile,
      SSF_RECEIVERS: receivers(okta),
      SSF_OKTA_TOKEN: TOKEN,
      SSF_STREAM_CLIENTS: JSON.stringify([
        {
          name: 'google',
          audience: 'https://google.example',
          tokenVariable: 'SSF_GOOGLE_TOKEN',
          subjectFormat: 'iss_sub',
          subjectIssuer: 'https://login.microsoftonline.com/t/v2.0',
        },
      ]),
      SSF_GOOGLE_TOKEN: 'g'.repeat(40),
    });
    assert.deepEqual(problems, []);
    assert.equal(settings?.issuer, 'https://revoke.contoso.example');
    assert.equal(settings?.receivers[0]?.pushToken, TOKEN);
    assert.equal(settings?.receivers[0]?.subjectFormat, 'email');
    assert.equal(settings?.receivers[0]?.events.length, 4);
    assert.equal(settings?.clients[0]?.subjectFormat, 'iss_sub');
    const described = JSON.stringify(settings && sharedSignalsSetup.describe(settings));
    assert.ok(!described.includes(TOKEN) && !described.includes('g'.repeat(40)), described);
  });

  it('names every bad variable at once, never echoing a token', () => {
    writeFileSync(join(dir, 'not-a-key.pem'), 'hello');
    const { problems } = read({
      SSF_ISSUER: 'http://revoke.contoso.example/path',
      SSF_SIGNING_KEY: join(dir, 'not-a-key.pem'),
      SSF_PREVIOUS_KEYS: join(dir, 'missing.pem'),
      SSF_RECEIVERS: receivers({ ...okta, pushUrl: 'http://insecure.example/events' }),
      SSF_STREAM_CLIENTS: JSON.stringify([
        { name: 'okta', audience: 'x', tokenVariable: 'SSF_SHORT' },
      ]),
      SSF_SHORT: 'short-token',
    });
    const text = problems.join('\n');
    for (const expected of [
      /SSF_ISSUER must be the https origin/,
      /SSF_SIGNING_KEY: The key file .*not-a-key\.pem is not a private key/,
      /SSF_PREVIOUS_KEYS: Cannot read the key file .*missing\.pem/,
      /SSF_RECEIVERS\[0\]\.pushUrl must be an https URL/,
      /SSF_OKTA_TOKEN \(named by SSF_RECEIVERS\[0\]\.tokenVariable\) is not set/,
      /SSF_STREAM_CLIENTS\[0\]: the management token in SSF_SHORT must be at least 32 characters/,
      /receiver names must be unique \(okta\)/,
    ])
      assert.match(text, expected);
    assert.ok(!text.includes('short-token'), 'a token is never echoed');
  });

  it('refuses a receiver written into the JSON instead of a variable name', () => {
    const { problems } = read({
      SSF_ISSUER: 'https://revoke.contoso.example',
      SSF_SIGNING_KEY: keyFile,
      SSF_RECEIVERS: receivers({ ...okta, tokenVariable: `Bearer ${TOKEN}` }),
    });
    assert.equal(problems.length, 1);
    assert.match(problems[0] ?? '', /must be the NAME of an environment variable/);
    assert.ok(!problems[0]?.includes(TOKEN));
  });

  it('the sandbox refuses every SSF setting: it never pushes to a real receiver URL', () => {
    const env = {
      SSF_ISSUER: 'https://revoke.contoso.example',
      SSF_SIGNING_KEY: keyFile,
      SSF_RECEIVERS: receivers(okta),
      SSF_OKTA_TOKEN: TOKEN,
    };
    const config = loadConfig(env, ROOT);
    assert.equal(config.directory.mode, 'sandbox');
    assert.deepEqual(config.connectors, [], 'not even read in the sandbox');
    const refused = sandboxRefusals(config);
    assert.deepEqual(
      refused.map((line) => line.split(' ')[0]),
      ['SSF_ISSUER', 'SSF_SIGNING_KEY', 'SSF_RECEIVERS'],
    );
    assert.match(refused.join('\n'), /configures a connector to a real app/);
    assert.throws(() => assertSandboxIsolated(config), ConfigError);
  });

  it('registers no receiver in the sandbox', async () => {
    const connectors = connectSandbox(await loadSandboxTenant(), new Connectors());
    assert.equal(connectors.get(SHARED_SIGNALS), undefined);
  });
});
