// APPROVAL_STEP_UP and its settings: off by default; required needs its connection, audience,
// bot authentication and the tenant's id; the sandbox only simulates and never names a real issuer.
import { strict as assert } from 'node:assert';
import { loadConfig } from '../src/config';
import {
  CONFIG_ROOT as ROOT,
  configRefusal,
  REAL_TENANT_ENV as REAL_TENANT,
  TEST_TENANT_ID as TENANT,
} from './support/config-fixtures';

const STEP_UP_APP = '5d1c0e5a-7b2f-4c3e-9a8d-1e2f3a4b5c6d';
const REQUIRED = {
  ...REAL_TENANT,
  APPROVAL_STEP_UP: 'required',
  APPROVAL_OAUTH_CONNECTION: 'revoke-step-up',
  APPROVAL_STEP_UP_AUDIENCE: STEP_UP_APP,
};
const problems = (env: NodeJS.ProcessEnv): string[] => configRefusal(env).problems;

describe('configuration: step-up MFA on approvals', () => {
  it('is off by default, in a real tenant and in the sandbox', () => {
    assert.equal(loadConfig(REAL_TENANT, ROOT).stepUp.mode, 'off');
    assert.equal(loadConfig({}, ROOT).stepUp.mode, 'off');
  });

  it('required: reads the connection, audience, context and age, and the tenant metadata', () => {
    const { stepUp } = loadConfig(
      { ...REQUIRED, APPROVAL_AUTH_CONTEXT: 'c1', APPROVAL_MFA_MAX_AGE_SECONDS: '120' },
      ROOT,
    );
    assert.deepEqual(stepUp, {
      mode: 'required',
      connectionName: 'revoke-step-up',
      audience: STEP_UP_APP,
      tenantId: TENANT,
      authContext: 'c1',
      maxAgeSeconds: 120,
      metadataUrl: `https://login.microsoftonline.com/${TENANT}/v2.0/.well-known/openid-configuration`,
    });
    assert.equal(loadConfig(REQUIRED, ROOT).stepUp.maxAgeSeconds, 300, 'default age');
  });

  it('required: refuses to start without the connection or the audience', () => {
    const found = problems({ ...REAL_TENANT, APPROVAL_STEP_UP: 'required' });
    assert.ok(
      found.some((p) => p.startsWith('APPROVAL_OAUTH_CONNECTION is required')),
      found.join('\n'),
    );
    assert.ok(found.some((p) => p.startsWith('APPROVAL_STEP_UP_AUDIENCE is required')));
  });

  it('required: refuses a bad audience, context, age or metadata URL, and a bot without authentication', () => {
    const found = problems({
      ...REQUIRED,
      APPROVAL_STEP_UP_AUDIENCE: 'not-an-app',
      APPROVAL_AUTH_CONTEXT: 'mfa',
      APPROVAL_MFA_MAX_AGE_SECONDS: '5',
      APPROVAL_STEP_UP_METADATA_URL: 'http://login.example/openid',
    });
    assert.ok(
      found.some((p) => p.startsWith('APPROVAL_STEP_UP_AUDIENCE must be')),
      found.join('\n'),
    );
    assert.ok(found.some((p) => p.startsWith('APPROVAL_AUTH_CONTEXT must be')));
    assert.ok(found.some((p) => p.startsWith('APPROVAL_MFA_MAX_AGE_SECONDS must be')));
    assert.ok(found.some((p) => p.startsWith('APPROVAL_STEP_UP_METADATA_URL must be an https')));
    const unauthenticated = problems({
      ...REQUIRED,
      MicrosoftAppId: '',
      INSECURE_SKIP_BOT_AUTH: 'true',
      HOST: '127.0.0.1',
    });
    assert.ok(
      unauthenticated.some((p) => p.includes('needs bot authentication')),
      unauthenticated.join('\n'),
    );
  });

  it('the sandbox refuses required and every setting that names a real issuer, and offers simulated', () => {
    const found = problems({
      APPROVAL_STEP_UP: 'required',
      APPROVAL_OAUTH_CONNECTION: 'x',
      APPROVAL_STEP_UP_AUDIENCE: STEP_UP_APP,
      APPROVAL_STEP_UP_METADATA_URL: 'https://login.example/x',
    });
    assert.ok(
      found.some((p) => p.includes('APPROVAL_STEP_UP=simulated')),
      found.join('\n'),
    );
    for (const name of [
      'APPROVAL_OAUTH_CONNECTION',
      'APPROVAL_STEP_UP_AUDIENCE',
      'APPROVAL_STEP_UP_METADATA_URL',
    ]) {
      assert.ok(
        found.some((p) => p.startsWith(`${name} is set but AZURE_TENANT_ID is not`)),
        name,
      );
    }
    assert.equal(loadConfig({ APPROVAL_STEP_UP: 'simulated' }, ROOT).stepUp.mode, 'simulated');
  });

  it('a real tenant refuses simulated', () => {
    const found = problems({ ...REAL_TENANT, APPROVAL_STEP_UP: 'simulated' });
    assert.ok(
      found.some((p) => p.startsWith('APPROVAL_STEP_UP=simulated exists only in the sandbox')),
    );
  });
});
