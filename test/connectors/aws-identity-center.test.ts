// The AWS IAM Identity Center connector's set-up: variables read and validated (each problem
// named), refused in the sandbox, the sandbox's own stand-in registered, and the doctor's read-only
// checks against the HTTPS stand-in with the real SDK.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, sandboxRefusals } from '../../src/config';
import { awsIdentityCenterSetup } from '../../src/connectors/aws-identity-center';
import { Connectors } from '../../src/core/paths/connectors';
import { AWS_IDENTITY_CENTER } from '../../src/core/saas/aws-identity-center-port';
import { IAM_ACTIONS } from '../../src/directory/aws-identity-center';
import { loadSandboxTenant } from '../../src/directory/sandbox';
import { ConfigError, EnvReader } from '../../src/env-reader';
import { projectRoot } from '../../src/project-root';
import { AwsIdentityCenterStandin } from '../support/aws-identity-center-standin';
import { CONFIG_ROOT as ROOT, REAL_TENANT_ENV } from '../support/config-fixtures';

const GOOD = {
  AWS_SSO_INSTANCE_ARN: 'arn:aws:sso:::instance/ssoins-0123456789abcdef',
  AWS_IDENTITY_STORE_ID: 'd-0123456789',
  AWS_REGION: 'eu-west-1',
};

function read(env: NodeJS.ProcessEnv) {
  const reader = new EnvReader(env);
  const settings = awsIdentityCenterSetup.read(reader);
  try {
    reader.throwIfProblems();
    return { settings, problems: [] as string[] };
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return { settings, problems: error.problems };
  }
}

describe('AWS IAM Identity Center connector set-up', () => {
  it('is off unless one of its ids is set (AWS_REGION alone does not turn it on)', () => {
    assert.deepEqual(read({ AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'AKIA1' }), {
      settings: undefined,
      problems: [],
    });
  });

  it('reads the ids, the region and static keys; describes itself without a secret', () => {
    const secret = 'c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seQ';
    const { settings, problems } = read({
      ...GOOD,
      AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE0000001',
      AWS_SECRET_ACCESS_KEY: secret,
      AWS_SSO_ENDPOINT: 'https://sso.vpce.example/',
    });
    assert.deepEqual(problems, []);
    assert.deepEqual(settings, {
      instanceArn: GOOD.AWS_SSO_INSTANCE_ARN,
      identityStoreId: GOOD.AWS_IDENTITY_STORE_ID,
      region: 'eu-west-1',
      ssoEndpoint: 'https://sso.vpce.example',
      keys: { accessKeyId: 'AKIAEXAMPLE0000001', secretAccessKey: secret },
    });
    assert.ok(settings);
    const described = JSON.stringify(awsIdentityCenterSetup.describe(settings));
    assert.ok(!described.includes(secret) && !described.includes('AKIAEXAMPLE'), described);
    assert.equal(read(GOOD).settings?.keys, undefined, 'no keys: the default provider chain');
  });

  it('names each bad or missing variable', () => {
    const { problems } = read({
      AWS_SSO_INSTANCE_ARN: 'ssoins-1',
      AWS_REGION: 'Ireland',
      AWS_IDENTITYSTORE_ENDPOINT: 'http://plain.example',
      AWS_ACCESS_KEY_ID: 'AKIA1',
    });
    assert.deepEqual(
      problems.map((p) => p.split(' ')[0]),
      [
        'AWS_SSO_INSTANCE_ARN',
        'AWS_IDENTITY_STORE_ID',
        'AWS_REGION',
        'AWS_IDENTITYSTORE_ENDPOINT',
        'AWS_ACCESS_KEY_ID',
      ],
    );
  });

  it('is refused by the sandbox, variable by variable; AWS_REGION is not', () => {
    for (const name of [
      'AWS_SSO_INSTANCE_ARN',
      'AWS_IDENTITY_STORE_ID',
      'AWS_SSO_ENDPOINT',
      'AWS_IDENTITYSTORE_ENDPOINT',
    ]) {
      const found = sandboxRefusals(loadConfig({ [name]: 'x' }, ROOT));
      assert.equal(found.length, 1, `${name}: ${found.join('\n')}`);
      assert.match(
        found[0] ?? '',
        new RegExp(`^${name} is set but AZURE_TENANT_ID is not: .*connector to a real app`),
      );
    }
    assert.deepEqual(sandboxRefusals(loadConfig({ AWS_REGION: 'eu-west-1' }, ROOT)), []);
    // A real tenant reads it into the configured connectors.
    const real = loadConfig({ ...REAL_TENANT_ENV, ...GOOD }, ROOT);
    assert.deepEqual(
      real.connectors.map((c) => c.name),
      ['aws-identity-center'],
    );
  });

  it('documents every variable in env.sample and every IAM action in README', () => {
    const sample = readFileSync(join(projectRoot(), 'env.sample'), 'utf8');
    const names = [
      ...awsIdentityCenterSetup.variables,
      'AWS_REGION',
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_SESSION_TOKEN',
    ];
    assert.deepEqual(
      names.filter((name) => !new RegExp(`^${name}=`, 'm').test(sample)),
      [],
    );
    const readme = readFileSync(join(projectRoot(), 'README.md'), 'utf8');
    assert.deepEqual(
      Object.values(IAM_ACTIONS).filter((action) => !readme.includes(`\`${action}\``)),
      [],
    );
  });

  it('registers the sandbox stand-in seeded from the demo people', async () => {
    const tenant = await loadSandboxTenant();
    const connectors = new Connectors();
    awsIdentityCenterSetup.sandbox(connectors, tenant);
    const aws = connectors.get(AWS_IDENTITY_CENTER);
    assert.ok(aws);
    const evan = await aws.findUser('evan.park@contoso.com');
    assert.ok(evan);
    assert.equal(
      (await aws.listAssignments(evan.id)).length,
      2,
      'read-only via a group, admin directly',
    );
  });

  describe('doctor (read-only, real SDK against the stand-in)', function () {
    this.timeout(20_000);
    let standin: AwsIdentityCenterStandin;
    beforeEach(async () => {
      standin = await new AwsIdentityCenterStandin().start();
      standin.state.addPermissionSet('ReadOnlyAccess');
    });
    afterEach(() => standin.stop());

    const settings = (identityStoreId = standin.state.identityStoreId) => ({
      instanceArn: standin.state.instanceArn,
      identityStoreId,
      region: standin.region,
      ssoEndpoint: standin.origin,
      identityStoreEndpoint: standin.origin,
      keys: { accessKeyId: standin.accessKeyId, secretAccessKey: standin.secretAccessKey },
    });

    it('passes with the permissions, and changes nothing', async () => {
      const results = await awsIdentityCenterSetup.doctor(settings());
      assert.deepEqual(
        results.map((r) => r.status),
        ['ok', 'ok', 'ok'],
        JSON.stringify(results),
      );
      const writes = standin.calls.filter((c) => !/^(Describe|List|Get)/.test(c.operation));
      assert.deepEqual(writes, []);
    });

    it('fails naming the IAM action that is missing, and a wrong identity store', async () => {
      standin.deniedActions.add('sso:ListPermissionSets');
      standin.deniedActions.add('identitystore:GetUserId');
      const results = await awsIdentityCenterSetup.doctor(settings());
      const failed = results.filter((r) => r.status === 'fail');
      assert.equal(failed.length, 2, JSON.stringify(results));
      assert.match(failed[0]?.fix ?? '', /sso:ListPermissionSets/);
      assert.match(failed[1]?.fix ?? '', /identitystore:GetUserId/);
      const wrong = await awsIdentityCenterSetup.doctor(settings('d-9999999999'));
      assert.match(wrong[0]?.detail ?? '', /not AWS_IDENTITY_STORE_ID/);
      for (const r of [...results, ...wrong])
        assert.ok(!JSON.stringify(r).includes(standin.secretAccessKey));
    });
  });
});
