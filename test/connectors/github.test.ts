// The GitHub connector's set-up: its variables read and validated with one message each, refused
// by the sandbox, shown in the sandbox by a demo organisation, and checked read-only by the doctor
// against the stand-in with the real SDK.
import { strict as assert } from 'node:assert';
import { ConfigError, loadConfig, sandboxRefusals } from '../../src/config';
import { connectSandbox } from '../../src/connectors';
import { githubSetup } from '../../src/connectors/github';
import { Connectors } from '../../src/core/paths/connectors';
import { SharedLookups } from '../../src/core/paths/shared-lookups';
import { prepareTarget } from '../../src/core/request-preparation';
import { GITHUB } from '../../src/core/saas/github-port';
import type { GithubSettings } from '../../src/directory/github';
import { loadSandboxTenant } from '../../src/directory/sandbox';
import { EnvReader } from '../../src/env-reader';
import { captureLogger } from '../support/capture-logger';
import { CONFIG_ROOT, REAL_TENANT_ENV } from '../support/config-fixtures';
import { FakeClock } from '../support/fake-clock';
import { GithubStandin } from '../support/github-standin';

function read(env: NodeJS.ProcessEnv): {
  settings: GithubSettings | undefined;
  problems: string[];
} {
  const reader = new EnvReader(env);
  const settings = githubSetup.read(reader);
  try {
    reader.throwIfProblems();
    return { settings, problems: [] };
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return { settings, problems: error.problems };
  }
}

describe('the GitHub connector set-up', () => {
  it('is off when none of its variables is set', () => {
    assert.deepEqual(read({}), { settings: undefined, problems: [] });
  });

  it('reads organisation mode, with the public API by default', () => {
    const { settings, problems } = read({ GITHUB_ADMIN_TOKEN: 'tok', GITHUB_ORG: 'contoso' });
    assert.deepEqual(problems, []);
    assert.deepEqual(settings, {
      mode: 'org',
      org: 'contoso',
      apiUrl: 'https://api.github.com',
      token: 'tok',
      tokenEnv: 'GITHUB_ADMIN_TOKEN',
    });
    assert.deepEqual(githubSetup.describe(settings as GithubSettings), {
      mode: 'org',
      org: 'contoso',
      apiUrl: 'https://api.github.com',
      token: true,
    });
  });

  it('reads EMU mode with its enterprise and an Enterprise Server URL', () => {
    const { settings, problems } = read({
      GITHUB_MODE: 'emu',
      GITHUB_ADMIN_TOKEN: 'tok',
      GITHUB_ENTERPRISE: 'contoso-emu',
      GITHUB_ADMIN_API_URL: 'https://github.contoso.com/api/v3/',
    });
    assert.deepEqual(problems, []);
    assert.equal(settings?.mode, 'emu');
    assert.equal(settings?.enterprise, 'contoso-emu');
    assert.equal(settings?.apiUrl, 'https://github.contoso.com/api/v3');
  });

  it('names every bad or missing variable at once', () => {
    assert.deepEqual(
      read({
        GITHUB_ORG: 'bad org!',
        GITHUB_ADMIN_API_URL: 'http://api.github.com',
        GITHUB_ENTERPRISE: 'x',
      }).problems,
      [
        'GITHUB_ADMIN_TOKEN is required: a token of an organisation owner: fine-grained with "Members: Read and write", or classic with admin:org.',
        'GITHUB_ADMIN_API_URL must be an https:// URL (got "http://api.github.com").',
        'GITHUB_ORG must be an organisation login (letters, digits, hyphens; got "bad org!").',
        'GITHUB_ENTERPRISE is only for GITHUB_MODE=emu: unset it, or set GITHUB_MODE=emu.',
      ],
    );
    const emu = read({
      GITHUB_MODE: 'emu',
      GITHUB_ADMIN_TOKEN: 't',
      GITHUB_ORG: 'contoso',
    }).problems;
    assert.ok(
      emu.some((p) => p.startsWith('GITHUB_ENTERPRISE is required')),
      emu.join('\n'),
    );
    assert.ok(
      emu.some((p) => p.startsWith('GITHUB_ORG is only for GITHUB_MODE=org')),
      emu.join('\n'),
    );
    assert.match(
      read({ GITHUB_MODE: 'cloud', GITHUB_ADMIN_TOKEN: 't', GITHUB_ORG: 'c' }).problems[0] ?? '',
      /GITHUB_MODE must be one of org, emu/,
    );
  });

  it('is read with a real tenant, and its token is never in the described configuration', () => {
    const config = loadConfig(
      { ...REAL_TENANT_ENV, GITHUB_ADMIN_TOKEN: 'ghp_SECRETSECRET', GITHUB_ORG: 'contoso' },
      CONFIG_ROOT,
    );
    assert.deepEqual(
      config.connectors.map((c) => c.name),
      ['github'],
    );
    assert.ok(
      !JSON.stringify(config.connectors.map((c) => c.describe())).includes('ghp_SECRETSECRET'),
    );
  });

  for (const name of [
    'GITHUB_ADMIN_TOKEN',
    'GITHUB_ORG',
    'GITHUB_ENTERPRISE',
    'GITHUB_MODE',
    'GITHUB_ADMIN_API_URL',
  ]) {
    it(`stops the sandbox when ${name} is set`, () => {
      const found = sandboxRefusals(loadConfig({ [name]: 'x' }, CONFIG_ROOT));
      assert.equal(found.length, 1, found.join('\n'));
      assert.match(
        found[0] ?? '',
        new RegExp(`^${name} is set but AZURE_TENANT_ID is not: .*connector to a real app`),
      );
    });
  }

  it('shows a demo organisation in the sandbox: Alice’s card plans her removal', async () => {
    const clock = new FakeClock();
    const tenant = await loadSandboxTenant(undefined, { clock });
    const connectors = connectSandbox(tenant, new Connectors());
    assert.ok(connectors.get(GITHUB), 'the sandbox registers the GitHub stand-in');
    const { plan } = await prepareTarget(
      {
        ports: { directory: tenant.directory, connectors },
        retrying: (operation) => operation(),
        clock,
        logger: captureLogger(),
        settings: { protectedUsers: [], requiredApprovals: 2, onPremConfigured: false },
        shared: new SharedLookups(),
      },
      {
        address: 'alice.johnson@contoso.com',
        profile: 'termination',
        options: { retireDevices: false },
      },
    );
    const step = plan.steps.find((s) => s.id === 'github-remove-member');
    assert.equal(
      step?.title,
      'Remove GitHub account alice-johnson-contoso from the organisation contoso-demo and cancel its pending invitations',
    );
  });
});

describe('the GitHub doctor checks, read-only, against the stand-in', function () {
  this.timeout(20_000);
  let standin: GithubStandin;

  beforeEach(async () => {
    standin = await new GithubStandin().start();
  });
  afterEach(() => standin.stop());

  const settings = (token: string, overrides: Partial<GithubSettings> = {}): GithubSettings => ({
    mode: 'org',
    org: standin.state.org,
    apiUrl: standin.baseUrl,
    token,
    tokenEnv: 'GITHUB_ADMIN_TOKEN',
    ...overrides,
  });

  it('passes for an owner’s token that may read members and SAML identities, and changes nothing', async () => {
    standin.state.addMember('sec-owner', 'admin');
    standin.state.addToken('ghp_OWNEROWNEROWNER', ['members=write', 'identities'], 'sec-owner');
    const results = await githubSetup.doctor(settings('ghp_OWNEROWNEROWNER'));
    assert.deepEqual(
      results.map((r) => [r.name, r.status]),
      [
        ['GitHub organisation', 'ok'],
        ['GitHub members', 'ok'],
        ['GitHub owner', 'ok'],
        ['GitHub SAML identities', 'ok'],
      ],
      JSON.stringify(results),
    );
    assert.deepEqual([...new Set(standin.requests.map((r) => r.method))].sort(), ['GET', 'POST']);
    assert.ok(
      standin.requests.filter((r) => r.method === 'POST').every((r) => r.url === '/graphql'),
    );
    assert.ok(!JSON.stringify(results).includes('ghp_OWNEROWNEROWNER'));
  });

  it('fails with a fix for a member’s read-only token, and for a bad token', async () => {
    standin.state.addMember('dev', 'member');
    standin.state.addToken('ghp_READONLYREADONLY', ['members=read'], 'dev');
    const results = await githubSetup.doctor(settings('ghp_READONLYREADONLY'));
    const byName = Object.fromEntries(results.map((r) => [r.name, r]));
    assert.equal(byName['GitHub owner']?.status, 'fail');
    assert.match(byName['GitHub owner']?.fix ?? '', /Only organisation owners may remove members/);
    assert.equal(byName['GitHub SAML identities']?.status, 'fail');

    const bad = await githubSetup.doctor(settings('ghp_WRONGWRONGWRONG'));
    assert.deepEqual(
      bad.map((r) => [r.name, r.status]),
      [['GitHub organisation', 'fail']],
    );
    assert.match(bad[0]?.fix ?? '', /GITHUB_ADMIN_TOKEN is not valid/);
  });

  it('warns when the organisation has no SAML single sign-on, and checks the SCIM API in EMU mode', async () => {
    standin.state.addMember('sec-owner', 'admin');
    standin.state.addToken(
      'ghp_OWNEROWNEROWNER',
      ['members=write', 'identities', 'scim'],
      'sec-owner',
    );
    standin.state.samlEnabled = false;
    const org = await githubSetup.doctor(settings('ghp_OWNEROWNEROWNER'));
    assert.equal(org.at(-1)?.status, 'warn');
    assert.match(org.at(-1)?.detail ?? '', /no SAML single sign-on/);
    const emu = await githubSetup.doctor(
      settings('ghp_OWNEROWNEROWNER', {
        mode: 'emu',
        org: undefined,
        enterprise: standin.state.enterprise,
      }),
    );
    assert.deepEqual(
      emu.map((r) => [r.name, r.status]),
      [['GitHub SCIM', 'ok']],
    );
  });
});
