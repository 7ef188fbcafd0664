// The variables of "who may talk to the bot, where, and who may ask or approve".
import { strict as assert } from 'node:assert';
import { loadConfig } from '../src/config';
import {
  CONFIG_ROOT as ROOT,
  configRefusal,
  REAL_TENANT_ENV as REAL_TENANT,
  TEST_TENANT_ID as TENANT,
} from './support/config-fixtures';

const problems = (env: NodeJS.ProcessEnv): string[] => configRefusal(env).problems;

describe('configuration: access, requesters and approvers', () => {
  it('defaults: the bot tenant, any channel, anyone may request, no manager approval, 10 commands/min', () => {
    const { access } = loadConfig(REAL_TENANT, ROOT);
    assert.deepEqual(access, {
      allowedTenantId: TENANT,
      allowedChannelIds: [],
      requesterGroupId: undefined,
      allowManagerApproval: false,
      commandsPerMinute: 10,
    });
  });

  it('in the sandbox the allowed tenant is left to the app (the sandbox tenant)', () => {
    assert.equal(loadConfig({}, ROOT).access.allowedTenantId, undefined);
  });

  it('reads every variable', () => {
    const { access } = loadConfig(
      {
        ...REAL_TENANT,
        ALLOWED_TENANT_ID: '99999999-2222-4333-8444-555555555555',
        ALLOWED_CHANNEL_IDS: '19:soc@thread.tacv2, 19:ir@thread.tacv2',
        REQUESTER_GROUP_ID: 'bbbbbbbb-bbbb-4ccc-8ddd-eeeeeeeeeeee',
        ALLOW_MANAGER_APPROVAL: 'true',
        COMMANDS_PER_MINUTE: '3',
      },
      ROOT,
    );
    assert.deepEqual(access, {
      allowedTenantId: '99999999-2222-4333-8444-555555555555',
      allowedChannelIds: ['19:soc@thread.tacv2', '19:ir@thread.tacv2'],
      requesterGroupId: 'bbbbbbbb-bbbb-4ccc-8ddd-eeeeeeeeeeee',
      allowManagerApproval: true,
      commandsPerMinute: 3,
    });
  });

  it('falls back to AZURE_TENANT_ID for a multi-tenant bot registration', () => {
    const { MicrosoftAppTenantId: _, ...multi } = REAL_TENANT;
    const config = loadConfig({ ...multi, MicrosoftAppType: 'MultiTenant' }, ROOT);
    assert.equal(config.access.allowedTenantId, TENANT);
  });

  it('refuses to guess the tenant when nothing names it as a GUID', () => {
    const { MicrosoftAppTenantId: _, ...multi } = REAL_TENANT;
    const found = problems({
      ...multi,
      MicrosoftAppType: 'MultiTenant',
      AZURE_TENANT_ID: 'contoso.onmicrosoft.com',
    });
    assert.ok(
      found.some((p) => /ALLOWED_TENANT_ID is required/.test(p)),
      found.join('\n'),
    );
  });

  it('names bad values', () => {
    const found = problems({
      ...REAL_TENANT,
      ALLOWED_TENANT_ID: 'contoso',
      ALLOWED_CHANNEL_IDS: '19:ok@thread.tacv2,has space',
      REQUESTER_GROUP_ID: 'requesters',
      ALLOW_MANAGER_APPROVAL: 'maybe',
      COMMANDS_PER_MINUTE: '0',
    });
    for (const name of [
      'ALLOWED_TENANT_ID',
      'ALLOWED_CHANNEL_IDS',
      'REQUESTER_GROUP_ID',
      'ALLOW_MANAGER_APPROVAL',
      'COMMANDS_PER_MINUTE',
    ]) {
      assert.ok(
        found.some((p) => p.startsWith(name)),
        `${name} missing from: ${found.join('\n')}`,
      );
    }
  });

  it('bot certificate: both halves or neither, and not together with a password', () => {
    const { MicrosoftAppPassword: _, ...noPassword } = REAL_TENANT;
    const config = loadConfig(
      {
        ...noPassword,
        MicrosoftAppCertificateThumbprint: 'AB12CD34',
        MicrosoftAppCertificateKeyFile: '/etc/revoke/bot.pem',
      },
      ROOT,
    );
    assert.equal(config.bot.certificateThumbprint, 'AB12CD34');
    assert.ok(
      problems({ ...noPassword, MicrosoftAppCertificateThumbprint: 'AB12CD34' }).some((p) =>
        /both MicrosoftAppCertificateThumbprint and MicrosoftAppCertificateKeyFile/.test(p),
      ),
    );
    assert.ok(
      problems({
        ...REAL_TENANT,
        MicrosoftAppCertificateThumbprint: 'AB12CD34',
        MicrosoftAppCertificateKeyFile: '/etc/revoke/bot.pem',
      }).some((p) => /only one of MicrosoftAppPassword/.test(p)),
    );
  });
});
