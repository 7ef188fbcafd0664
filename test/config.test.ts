import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeConfig, loadConfig } from '../src/config';
import { projectRoot } from '../src/project-root';
import {
  CONFIG_ROOT as ROOT,
  configRefusal,
  REAL_TENANT_ENV as REAL_TENANT,
} from './support/config-fixtures';

const problems = (env: NodeJS.ProcessEnv): string[] => configRefusal(env).problems;

describe('configuration', () => {
  it('runs the sandbox with SQLite and documented defaults when nothing is set', () => {
    const config = loadConfig({}, ROOT);
    assert.equal(config.directory.mode, 'sandbox');
    assert.equal(
      config.directory.mode === 'sandbox' && config.directory.dataPath,
      '/opt/revoke/sandbox/tenant.json',
    );
    assert.equal(config.databaseUrl, 'sqlite:./data/revoke.db');
    assert.equal(config.port, 3978);
    assert.equal(config.requiredApprovals, 2);
    assert.equal(config.approvalTimeoutMinutes, 60);
    assert.equal(config.ldap, undefined);
    assert.equal(config.bot.appId, undefined);
  });

  it('gives the run watchdog 300 s by default, and refuses one not longer than a step deadline', () => {
    assert.equal(loadConfig({}, ROOT).runStallMs, 300_000);
    assert.equal(loadConfig({ RUN_STALL_SECONDS: '900' }, ROOT).runStallMs, 900_000);
    assert.deepEqual(problems({ RUN_STALL_SECONDS: '120' }), [
      'RUN_STALL_SECONDS (120) must be greater than STEP_DEADLINE_SECONDS (120): a step still retrying within its deadline is not stalled.',
    ]);
    assert.deepEqual(problems({ STEP_DEADLINE_SECONDS: '600' }), [
      'RUN_STALL_SECONDS (300) must be greater than STEP_DEADLINE_SECONDS (600): a step still retrying within its deadline is not stalled.',
    ]);
  });

  it('reads a real tenant with bot credentials', () => {
    const config = loadConfig(
      { ...REAL_TENANT, REQUIRED_APPROVALS: '3', PROTECTED_USERS: 'BreakGlass@contoso.com, x@y.z' },
      ROOT,
    );
    assert.equal(config.directory.mode, 'graph');
    assert.equal(config.requiredApprovals, 3);
    assert.deepEqual(config.protectedUsers, ['breakglass@contoso.com', 'x@y.z']);
    assert.equal(
      config.directory.mode === 'graph' && config.directory.graphBaseUrl,
      'https://graph.microsoft.com',
    );
  });

  it('refuses a real tenant without MicrosoftAppId: approvals could be forged', () => {
    const { MicrosoftAppId: _, ...withoutBot } = REAL_TENANT;
    assert.ok(
      problems(withoutBot).some((p) => /MicrosoftAppId is required with a real tenant/.test(p)),
    );
    assert.doesNotThrow(() =>
      loadConfig({ ...withoutBot, INSECURE_SKIP_BOT_AUTH: 'true', HOST: '127.0.0.1' }, ROOT),
    );
  });

  it('names every bad variable at once', () => {
    const found = problems({
      AZURE_TENANT_ID: 'not a tenant',
      REQUIRED_APPROVALS: '0',
      APPROVAL_TIMEOUT_MINUTES: 'soon',
      PORT: '99999',
      LOG_LEVEL: 'loud',
      GRAPH_BASE_URL: 'http://graph.local',
      PROTECTED_GROUP_ID: 'admins',
    });
    for (const name of [
      'AZURE_TENANT_ID',
      'REQUIRED_APPROVALS',
      'APPROVAL_TIMEOUT_MINUTES',
      'PORT',
      'LOG_LEVEL',
      'GRAPH_BASE_URL',
      'PROTECTED_GROUP_ID',
      'AZURE_CLIENT_ID',
      'No Entra ID credential',
      'APPROVER_GROUP_ID',
    ]) {
      assert.ok(
        found.some((p) => p.includes(name)),
        `a problem names ${name}: ${found.join(' / ')}`,
      );
    }
  });

  it('refuses more than one Entra credential', () => {
    const found = problems({
      ...REAL_TENANT,
      AZURE_CLIENT_CERTIFICATE_PATH: '/etc/revoke/cert.pem',
    });
    assert.ok(found.some((p) => /only one of/.test(p)));
  });

  it('accepts a managed identity without a client id', () => {
    const { AZURE_CLIENT_ID: _id, AZURE_CLIENT_SECRET: _secret, ...rest } = REAL_TENANT;
    const config = loadConfig({ ...rest, AZURE_USE_MANAGED_IDENTITY: 'true' }, ROOT);
    assert.equal(config.directory.mode === 'graph' && config.directory.managedIdentity, true);
  });

  it('refuses plain ldap:// without StartTLS, since AD only resets passwords over encryption', () => {
    const ldap = {
      LDAP_BIND_DN: 'CN=svc',
      LDAP_BIND_PASSWORD: 'x',
      LDAP_BASE_DN: 'DC=contoso,DC=com',
    };
    assert.ok(
      problems({ ...ldap, LDAP_URL: 'ldap://dc1.contoso.com' }).some((p) =>
        /encrypted connection/.test(p),
      ),
    );
    assert.equal(
      loadConfig({ ...ldap, LDAP_URL: 'ldap://dc1.contoso.com', LDAP_STARTTLS: 'true' }, ROOT).ldap
        ?.startTls,
      true,
    );
    assert.equal(
      loadConfig({ ...ldap, LDAP_URL: 'ldaps://dc1.contoso.com:636' }, ROOT).ldap?.url,
      'ldaps://dc1.contoso.com:636',
    );
    const missing = problems({ LDAP_URL: 'ldaps://dc1.contoso.com' });
    assert.deepEqual(
      ['LDAP_BIND_DN', 'LDAP_BIND_PASSWORD', 'LDAP_BASE_DN'].filter(
        (name) => !missing.some((p) => p.includes(name)),
      ),
      [],
    );
  });

  it('describes itself for the log without any secret', () => {
    const config = loadConfig(
      {
        ...REAL_TENANT,
        LDAP_URL: 'ldaps://dc1',
        LDAP_BIND_DN: 'CN=svc',
        LDAP_BIND_PASSWORD: 'ldap-pass-value',
        LDAP_BASE_DN: 'DC=x',
      },
      ROOT,
    );
    const text = JSON.stringify(describeConfig(config));
    for (const secret of ['not-a-real-secret-value', 'bot-password-value', 'ldap-pass-value']) {
      assert.ok(!text.includes(secret), secret);
    }
  });

  it('documents every variable it reads in env.sample', () => {
    const source = ['config.ts', 'audit/audit-config.ts']
      .map((file) => readFileSync(join(projectRoot(), 'src', file), 'utf8'))
      .join('\n');
    const sample = readFileSync(join(projectRoot(), 'env.sample'), 'utf8');
    const read = new Set([...source.matchAll(/read\.\w+\(\s*'([A-Za-z_]+)'/g)].map((m) => m[1]));
    assert.ok(read.size > 20, `found ${read.size} variables`);
    const undocumented = [...read].filter((name) => !new RegExp(`^${name}=`, 'm').test(sample));
    assert.deepEqual(undocumented, []);
  });
});
