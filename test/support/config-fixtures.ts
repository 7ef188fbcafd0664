// Environments for the configuration tests: a complete real-tenant set-up to vary one variable
// at a time, and a helper that expects the configuration to be refused.
import { strict as assert } from 'node:assert';
import { ConfigError, loadConfig } from '../../src/config';
import { testAuditKeyText } from './memory-audit-log';

/** Where the project would be installed; only used to resolve relative paths. */
export const CONFIG_ROOT = '/opt/revoke';

export const TEST_TENANT_ID = '11111111-2222-4333-8444-555555555555';

export const REAL_TENANT_ENV = {
  AZURE_TENANT_ID: TEST_TENANT_ID,
  AZURE_CLIENT_ID: '66666666-7777-4888-9999-000000000000',
  AZURE_CLIENT_SECRET: 'not-a-real-secret-value',
  APPROVER_GROUP_ID: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
  MicrosoftAppId: '12121212-3434-4565-8787-909090909090',
  MicrosoftAppPassword: 'bot-password-value',
  MicrosoftAppTenantId: TEST_TENANT_ID,
  AUDIT_KEY: testAuditKeyText(),
};

/** The ConfigError `env` must be refused with. */
export function configRefusal(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env, CONFIG_ROOT);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error;
  }
  assert.fail('expected the configuration to be refused');
}
