// The Google Workspace connector's set-up: read from the environment with a message per bad
// variable (none quoting the key file), refused by the sandbox, its in-memory stand-in in the
// sandbox, and the doctor's read-only checks against the HTTPS stand-in.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, sandboxRefusals } from '../../src/config';
import { connectSandbox, readConnectors } from '../../src/connectors';
import { registeredSetup } from '../../src/connectors/connector-setup';
import { googleWorkspaceSetup } from '../../src/connectors/google-workspace';
import { Connectors } from '../../src/core/paths/connectors';
import { GOOGLE_WORKSPACE } from '../../src/core/saas/google-workspace-port';
import { loadSandboxTenant } from '../../src/directory/sandbox';
import { EnvReader } from '../../src/env-reader';
import { projectRoot } from '../../src/project-root';
import { CONFIG_ROOT, configRefusal, REAL_TENANT_ENV } from '../support/config-fixtures';
import {
  GoogleWorkspaceStandin,
  keyFileJson,
  makeServiceAccount,
  SCOPES,
} from '../support/google-workspace-standin';

describe('the Google Workspace connector set-up', function () {
  this.timeout(20_000);
  const account = makeServiceAccount('setup');
  const keyLine = account.privateKeyPem.split('\n')[1] ?? 'missing';
  let dir: string;
  let keyFile: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'revoke-google-setup-'));
    keyFile = join(dir, 'key.json');
    writeFileSync(
      keyFile,
      JSON.stringify(keyFileJson(account, 'https://oauth2.googleapis.com/token')),
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const env = (extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({ ...REAL_TENANT_ENV, ...extra });

  it('is off when none of its variables is set', () => {
    assert.deepEqual(loadConfig(env({}), CONFIG_ROOT).connectors, []);
  });

  it('reads the key file and the administrator, and describes them without the key', () => {
    const config = loadConfig(
      env({ GOOGLE_SERVICE_ACCOUNT_KEY_FILE: keyFile, GOOGLE_ADMIN_SUBJECT: 'admin@contoso.com' }),
      CONFIG_ROOT,
    );
    assert.deepEqual(
      config.connectors.map((c) => [c.name, c.describe()]),
      [
        [
          'google-workspace',
          {
            serviceAccount: account.clientEmail,
            clientId: account.clientId,
            subject: 'admin@contoso.com',
            apiRootUrl: 'https://admin.googleapis.com',
          },
        ],
      ],
    );
  });

  it('names every bad variable, and never quotes the key file', () => {
    const notJson = join(dir, 'key.pem');
    writeFileSync(notJson, account.privateKeyPem);
    const problems = configRefusal(
      env({
        GOOGLE_SERVICE_ACCOUNT_KEY_FILE: notJson,
        GOOGLE_ADMIN_API_URL: 'http://admin.example',
      }),
    ).problems;
    assert.ok(
      problems.some((p) => /^GOOGLE_ADMIN_SUBJECT is required/.test(p)),
      problems.join('\n'),
    );
    assert.ok(problems.some((p) => /^GOOGLE_ADMIN_API_URL must be an https:\/\/ URL/.test(p)));
    assert.ok(
      problems.some((p) => /GOOGLE_SERVICE_ACCOUNT_KEY_FILE \(.*key\.pem\) is not a JSON/.test(p)),
    );
    assert.ok(!problems.join('\n').includes(keyLine), 'the key is not quoted');

    const broken = join(dir, 'broken.json');
    writeFileSync(
      broken,
      JSON.stringify({
        ...keyFileJson(account, 'http://token.example'),
        private_key: `x${keyLine}`,
      }),
    );
    const keyProblems = configRefusal(
      env({ GOOGLE_SERVICE_ACCOUNT_KEY_FILE: broken, GOOGLE_ADMIN_SUBJECT: 'not-an-email' }),
    ).problems;
    assert.deepEqual(keyProblems, [
      'GOOGLE_ADMIN_SUBJECT must be an email address (got "not-an-email").',
      'GOOGLE_SERVICE_ACCOUNT_KEY_FILE: the key file\'s "private_key" is not a PEM private key.',
      'GOOGLE_SERVICE_ACCOUNT_KEY_FILE: the key file\'s "token_uri" must be an https:// URL.',
    ]);
    const missing = configRefusal(
      env({
        GOOGLE_SERVICE_ACCOUNT_KEY_FILE: join(dir, 'nope.json'),
        GOOGLE_ADMIN_SUBJECT: 'a@b.co',
      }),
    ).problems;
    assert.match(missing.join('\n'), /names a file Revoke cannot read \(.*nope\.json: ENOENT\)/);
  });

  it('documents each of its variables in env.sample', () => {
    const sample = readFileSync(join(projectRoot(), 'env.sample'), 'utf8');
    for (const name of googleWorkspaceSetup.variables)
      assert.match(sample, new RegExp(`^${name}=`, 'm'), name);
  });

  it('is refused by the sandbox, variable by variable', () => {
    for (const name of [
      'GOOGLE_SERVICE_ACCOUNT_KEY_FILE',
      'GOOGLE_ADMIN_SUBJECT',
      'GOOGLE_ADMIN_API_URL',
    ]) {
      const refusals = sandboxRefusals(loadConfig({ [name]: 'https://x.example/y' }, CONFIG_ROOT));
      assert.equal(refusals.length, 1, refusals.join('\n'));
      assert.match(
        refusals[0] ?? '',
        new RegExp(`^${name} is set but AZURE_TENANT_ID is not: .*connector to a real app`),
      );
    }
  });

  it('gives the sandbox an in-memory Google Workspace with an account per demo person', async () => {
    const tenant = await loadSandboxTenant();
    const google = connectSandbox(tenant, new Connectors()).get(GOOGLE_WORKSPACE);
    assert.ok(google);
    const alice = await google.findUser(['ALICE.JOHNSON@contoso.com']);
    assert.equal(alice?.primaryEmail, 'alice.johnson@contoso.com');
    assert.equal(alice?.suspended, false);
  });

  describe('doctor', () => {
    let standin: GoogleWorkspaceStandin;
    beforeEach(async () => {
      standin = await new GoogleWorkspaceStandin().start();
      standin.addUser('admin@contoso.test', { isAdmin: true });
    });
    afterEach(async () => standin.stop());

    function doctor(which: ReturnType<typeof makeServiceAccount>) {
      const path = standin.writeKeyFile(join(dir, `${which.clientId}.json`), which);
      const reader = new EnvReader({
        GOOGLE_SERVICE_ACCOUNT_KEY_FILE: path,
        GOOGLE_ADMIN_SUBJECT: 'admin@contoso.test',
        GOOGLE_ADMIN_API_URL: standin.origin,
      });
      const [configured] = readConnectors(reader, [registeredSetup(googleWorkspaceSetup)]);
      reader.throwIfProblems();
      assert.ok(configured);
      return configured.doctor();
    }

    it('checks the token for both scopes and reads the administrator, changing nothing', async () => {
      const delegated = standin.addServiceAccount([SCOPES.user, SCOPES.security]);
      const results = await doctor(delegated);
      assert.deepEqual(
        results.map((r) => [r.name, r.status]),
        [
          ['Google Workspace token', 'ok'],
          ['Google Workspace users.get', 'ok'],
        ],
      );
      assert.deepEqual(
        standin.calls.map((c) => c.route),
        ['POST /token', 'GET /users/{userKey}'],
        'read-only',
      );
    });

    it('fails the token check with the delegation to grant when a scope is missing', async () => {
      const readOnly = standin.addServiceAccount([SCOPES.user], makeServiceAccount('read-only'));
      const [token, ...rest] = await doctor(readOnly);
      assert.equal(token?.status, 'fail');
      assert.match(token?.detail ?? '', /unauthorized_client/);
      assert.match(
        token?.fix ?? '',
        new RegExp(
          `client ID ${readOnly.clientId} the scopes .*admin\\.directory\\.user\\.security`,
        ),
      );
      assert.deepEqual(rest, [], 'no read without a token');
    });
  });
});
