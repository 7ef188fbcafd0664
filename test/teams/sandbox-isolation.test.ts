// The sandbox has no bot authentication and offers "act as": it must never reach a real system.
// A sandbox configured with a SCIM app (today a real PATCH active=false at the end of a run) or a
// domain controller does not start at all, neither as the deployed process nor as a built app.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../src/app';
import { ConfigError, loadConfig } from '../../src/config';
import { projectRoot } from '../../src/project-root';
import { BotProcess, freePort } from '../support/bot-process';
import { captureLogger } from '../support/capture-logger';
import { ScimStandin } from '../support/scim-standin';

describe('sandbox isolation: settings that reach a real system stop the sandbox', function () {
  this.timeout(30_000);
  let scim: ScimStandin;
  let dir: string;

  beforeEach(async () => {
    scim = await new ScimStandin().start();
    // The sandbox's target, as the app knows her: a revocation would deactivate her there.
    scim.addUser('alice.johnson@contoso.com');
    dir = mkdtempSync(join(tmpdir(), 'revoke-sandbox-isolation-'));
  });

  afterEach(async () => {
    await scim.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  function realSystems(): Record<string, string> {
    return {
      SCIM_APPS: JSON.stringify([
        { name: 'Acme HR', baseUrl: scim.baseUrl, tokenEnv: 'SCIM_TOKEN_ACME' },
      ]),
      SCIM_TOKEN_ACME: scim.token,
      // A DC that does not exist: nothing may even try it.
      LDAP_URL: 'ldaps://127.0.0.1:1',
      LDAP_BIND_DN: 'CN=svc-revoke,CN=Users,DC=contoso,DC=test',
      LDAP_BIND_PASSWORD: 'not-used',
      LDAP_BASE_DN: 'DC=contoso,DC=test',
    };
  }

  it('the bot process exits at start, names each setting, and nothing is called', async () => {
    const { exit, output } = await BotProcess.refusal(
      {
        ...realSystems(),
        DATABASE_URL: `sqlite:${join(dir, 'revoke.db')}`,
        PLAYGROUND: 'off',
        STARTUP_CHECKS: 'false',
      },
      await freePort(),
    );
    assert.deepEqual(exit, { code: 2, signal: null }, output);
    assert.match(output, /Revoke cannot start; fix the configuration/);
    assert.match(output, /SCIM_APPS is set but AZURE_TENANT_ID is not: .*PATCH active=false/);
    assert.match(output, /LDAP_URL is set but AZURE_TENANT_ID is not/);
    assert.doesNotMatch(output, new RegExp(scim.token));
    assert.deepEqual(scim.requests, []);
    assert.equal([...scim.users.values()][0]?.active, true);
  });

  it('buildApp refuses the same configuration, so no embedding of the app can skip the check', async () => {
    const config = loadConfig(
      { ...realSystems(), DATABASE_URL: 'sqlite::memory:', SANDBOX_LATENCY_MS: '0' },
      projectRoot(),
    );
    await assert.rejects(buildApp(config, { logger: captureLogger() }), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.deepEqual(
        error.problems.map((p) => p.split(' ')[0]),
        ['SCIM_APPS', 'LDAP_URL'],
      );
      return true;
    });
    assert.deepEqual(scim.requests, []);
  });
});
