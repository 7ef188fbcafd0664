// Sandbox mode touches nothing real: every setting that names a real system (an app's SCIM
// endpoint, a domain controller, Graph or Entra ID endpoints, credentials of a real tenant) stops
// it from starting, with one line per setting that says why and what to do.
import { strict as assert } from 'node:assert';
import { assertSandboxIsolated, ConfigError, loadConfig, sandboxRefusals } from '../src/config';
import { CONFIG_ROOT as ROOT, REAL_TENANT_ENV as REAL_TENANT } from './support/config-fixtures';

const refusals = (env: NodeJS.ProcessEnv): string[] => sandboxRefusals(loadConfig(env, ROOT));

const SCIM_APPS = JSON.stringify([
  { name: 'Acme HR', baseUrl: 'https://acme.example/scim/v2', tokenEnv: 'SCIM_TOKEN_ACME' },
]);

describe('configuration: the sandbox refuses settings that reach a real system', () => {
  const cases: Array<[string, NodeJS.ProcessEnv, RegExp]> = [
    ['SCIM_APPS', { SCIM_APPS, SCIM_TOKEN_ACME: 'token' }, /real PATCH active=false requests/],
    [
      'LDAP_URL',
      {
        LDAP_URL: 'ldaps://dc1.contoso.com:636',
        LDAP_BIND_DN: 'CN=svc',
        LDAP_BIND_PASSWORD: 'pw',
        LDAP_BASE_DN: 'DC=contoso,DC=com',
      },
      /names a real domain controller/,
    ],
    ['GRAPH_BASE_URL', { GRAPH_BASE_URL: 'https://graph.microsoft.com' }, /Graph endpoint/],
    ['AZURE_AUTHORITY_HOST', { AZURE_AUTHORITY_HOST: 'https://login.example' }, /sign-in/],
    ['AZURE_CLIENT_ID', { AZURE_CLIENT_ID: REAL_TENANT.AZURE_CLIENT_ID }, /credential/],
    ['AZURE_CLIENT_SECRET', { AZURE_CLIENT_SECRET: 'secret-value' }, /credential/],
    ['AZURE_CLIENT_CERTIFICATE_PATH', { AZURE_CLIENT_CERTIFICATE_PATH: '/c.pem' }, /credential/],
    ['AZURE_USE_MANAGED_IDENTITY', { AZURE_USE_MANAGED_IDENTITY: 'true' }, /identity/],
    [
      'PAGERDUTY_ROUTING_KEY',
      { PAGERDUTY_ROUTING_KEY: 'e93facc04764012d7bfb002500d5d1a6' },
      /page a real on-call rota/,
    ],
    ['ALERT_WEBHOOK_URL', { ALERT_WEBHOOK_URL: 'https://pager.example/hook' }, /on-call/],
  ];
  for (const [name, env, why] of cases) {
    it(`refuses ${name}`, () => {
      const found = refusals(env);
      assert.equal(found.length, 1, found.join('\n'));
      const [line = ''] = found;
      assert.ok(line.startsWith(`${name} is set but AZURE_TENANT_ID is not: `), line);
      assert.match(line, why);
      assert.match(line, new RegExp(`Unset ${name} to try the sandbox, or set AZURE_TENANT_ID`));
    });
  }

  it('names every such setting at once, and never echoes a secret', () => {
    const error = (() => {
      try {
        assertSandboxIsolated(
          loadConfig({ SCIM_APPS, SCIM_TOKEN_ACME: 'token', AZURE_CLIENT_SECRET: 's3cr3t' }, ROOT),
        );
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    assert.ok(error instanceof ConfigError);
    assert.deepEqual(
      error.problems.map((p) => p.split(' ')[0]),
      ['SCIM_APPS', 'AZURE_CLIENT_SECRET'],
    );
    assert.doesNotMatch(error.message, /s3cr3t|token\b/);
  });

  it('keeps what stays on this machine: PROVISIONING_APPS (simulated), any DATABASE_URL', () => {
    assert.deepEqual(
      refusals({
        PROVISIONING_APPS: '00000000-0000-4000-8000-0000000000a1',
        DATABASE_URL: 'postgres://revoke@db.contoso.com:5432/revoke',
        AZURE_USE_MANAGED_IDENTITY: 'false',
        MicrosoftAppId: REAL_TENANT.MicrosoftAppId,
        MicrosoftAppTenantId: REAL_TENANT.MicrosoftAppTenantId,
      }),
      [],
    );
  });

  it('never applies to a real tenant', () => {
    const config = loadConfig(
      {
        ...REAL_TENANT,
        SCIM_APPS,
        SCIM_TOKEN_ACME: 'token',
        GRAPH_BASE_URL: 'https://graph.microsoft.us',
      },
      ROOT,
    );
    assert.deepEqual(sandboxRefusals(config), []);
    assert.doesNotThrow(() => assertSandboxIsolated(config));
  });
});
