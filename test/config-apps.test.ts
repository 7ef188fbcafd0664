// The variables of app deprovisioning: PROVISIONING_APPS, SCIM_APPS (with each bearer token in
// the variable it names) and MANUAL_DEPROVISION_TASKS.
import { strict as assert } from 'node:assert';
import { describeConfig, loadConfig } from '../src/config';
import { CONFIG_ROOT as ROOT, configRefusal as refused } from './support/config-fixtures';

const TOKEN = 'scim-bearer-7f3a9c1e5b2d4e6f8a0b';
const APP_A = '7d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6';
const APP_B = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

function scim(entries: unknown): string {
  return JSON.stringify(entries);
}

const ACME = {
  name: 'Acme HR',
  baseUrl: 'https://acme.example/scim/v2/',
  tokenEnv: 'SCIM_TOKEN_ACME',
};

function problems(env: NodeJS.ProcessEnv): string[] {
  return refused(env).problems;
}

describe('configuration: app deprovisioning', () => {
  it('defaults: no provisioned apps, no SCIM apps, no checklist', () => {
    assert.deepEqual(loadConfig({}, ROOT).apps, {
      provisioningAppIds: [],
      scim: [],
      manualTasks: [],
    });
  });

  describe('SCIM_APPS', () => {
    it('reads each app, trims its name and base URL, and takes its token from the named variable', () => {
      const { apps } = loadConfig(
        {
          SCIM_APPS: scim([
            { ...ACME, name: '  Acme HR ' },
            { name: 'Globex', baseUrl: 'https://globex.example/scim', tokenEnv: 'GLOBEX_TOKEN' },
          ]),
          SCIM_TOKEN_ACME: TOKEN,
          GLOBEX_TOKEN: 'globex-token',
        },
        ROOT,
      );
      assert.deepEqual(apps.scim, [
        {
          name: 'Acme HR',
          baseUrl: 'https://acme.example/scim/v2',
          tokenEnv: 'SCIM_TOKEN_ACME',
          token: TOKEN,
        },
        {
          name: 'Globex',
          baseUrl: 'https://globex.example/scim',
          tokenEnv: 'GLOBEX_TOKEN',
          token: 'globex-token',
        },
      ]);
    });

    it('refuses a base URL that is not https (the token would travel in clear)', () => {
      for (const baseUrl of ['http://acme.example/scim/v2', 'ftp://acme.example', 'not a url']) {
        assert.deepEqual(
          problems({ SCIM_APPS: scim([{ ...ACME, baseUrl }]), SCIM_TOKEN_ACME: TOKEN }),
          ['SCIM_APPS: the baseUrl of Acme HR must be an https:// URL.'],
          baseUrl,
        );
      }
    });

    it('refuses JSON that is not a list of complete entries', () => {
      for (const value of ['[{"name":', '{"name":"Acme"}', '"Acme"', 'null']) {
        const found = problems({ SCIM_APPS: value });
        assert.equal(found.length, 1, value);
        assert.match(found[0] ?? '', /^SCIM_APPS must be a JSON list like/, value);
      }
      const partial = problems({ SCIM_APPS: scim([{ name: 'Acme HR', baseUrl: ACME.baseUrl }]) });
      assert.match(partial[0] ?? '', /every entry needs name, baseUrl and tokenEnv/);
      const blank = problems({ SCIM_APPS: scim([{ ...ACME, name: '  ' }]) });
      assert.match(blank[0] ?? '', /every entry needs name, baseUrl and tokenEnv/);
    });

    it('refuses a tokenEnv that is not a variable name, and a token variable that is not set', () => {
      assert.deepEqual(problems({ SCIM_APPS: scim([{ ...ACME, tokenEnv: 'scim token' }]) }), [
        'SCIM_APPS: the tokenEnv of Acme HR must be an environment variable name.',
      ]);
      assert.deepEqual(problems({ SCIM_APPS: scim([ACME]) }), [
        'SCIM_TOKEN_ACME is required: the bearer token of the SCIM app Acme HR.',
      ]);
    });

    it('refuses the same name twice, whatever its case', () => {
      assert.deepEqual(
        problems({
          SCIM_APPS: scim([ACME, { ...ACME, name: 'ACME hr', tokenEnv: 'OTHER_TOKEN' }]),
          SCIM_TOKEN_ACME: TOKEN,
          OTHER_TOKEN: 'other',
        }),
        ['SCIM_APPS names ACME hr twice.'],
      );
    });

    it('refuses two names that give one step id, naming both', () => {
      assert.deepEqual(
        problems({
          SCIM_APPS: scim([ACME, { ...ACME, name: 'acme-hr', tokenEnv: 'OTHER_TOKEN' }]),
          SCIM_TOKEN_ACME: TOKEN,
          OTHER_TOKEN: 'other',
        }),
        [
          'SCIM_APPS: "Acme HR" and "acme-hr" both give the step id scim-acme-hr: rename one so the names differ in more than case, spaces and punctuation.',
        ],
      );
    });

    it('never shows a token: not in describeConfig, not in any refusal', () => {
      const config = loadConfig({ SCIM_APPS: scim([ACME]), SCIM_TOKEN_ACME: TOKEN }, ROOT);
      const described = JSON.stringify(describeConfig(config));
      assert.ok(!described.includes(TOKEN), described);
      assert.ok(described.includes('Acme HR'), 'the app is named');
      // Every other problem of the same configuration, with the token set.
      const error = refused({
        SCIM_APPS: scim([
          ACME,
          { ...ACME },
          { ...ACME, name: 'Plain', baseUrl: 'http://plain.example' },
          { ...ACME, name: 'Missing', tokenEnv: 'UNSET_TOKEN' },
          // The token pasted where its variable's name belongs.
          { ...ACME, name: 'Pasted', tokenEnv: TOKEN },
        ]),
        SCIM_TOKEN_ACME: TOKEN,
      });
      assert.ok(error.problems.length >= 4, error.problems.join('\n'));
      assert.ok(!error.message.includes(TOKEN), error.message);
      assert.ok(
        !error.problems.some((p) => p.includes(TOKEN) && !p.startsWith('PROVISIONING_APPS')),
      );
    });
  });

  describe('PROVISIONING_APPS', () => {
    it('reads a comma-separated list of service principal object ids', () => {
      assert.deepEqual(
        loadConfig({ PROVISIONING_APPS: ` ${APP_A}, ${APP_B} ` }, ROOT).apps.provisioningAppIds,
        [APP_A, APP_B],
      );
    });

    it('refuses the same app twice, in any case, naming both', () => {
      for (const second of [APP_A, APP_A.toUpperCase()]) {
        assert.deepEqual(problems({ PROVISIONING_APPS: `${APP_A},${APP_B},${second}` }), [
          `PROVISIONING_APPS lists the same app twice ("${APP_A}" and "${second}"): list each service principal once.`,
        ]);
      }
    });

    it('refuses anything that is not a GUID, naming it', () => {
      for (const id of ['Salesforce', `${APP_A}x`, '7d1e2f3a4b5c4d6e8f90a1b2c3d4e5f6']) {
        assert.deepEqual(
          problems({ PROVISIONING_APPS: `${APP_A},${id}` }),
          [`PROVISIONING_APPS must list service principal object ids (got "${id}").`],
          id,
        );
      }
    });
  });

  describe('MANUAL_DEPROVISION_TASKS', () => {
    const LIMIT = 'MANUAL_DEPROVISION_TASKS takes at most 20 tasks of at most 200 characters each.';

    it('splits on "|", trims each task and drops empty ones', () => {
      assert.deepEqual(
        loadConfig({ MANUAL_DEPROVISION_TASKS: ' Payroll | | VPN certificate |' }, ROOT).apps
          .manualTasks,
        ['Payroll', 'VPN certificate'],
      );
    });

    it('takes 20 tasks of 200 characters', () => {
      const tasks = Array.from({ length: 20 }, (_, i) => `${i}`.padEnd(200, 'x'));
      assert.equal(
        loadConfig({ MANUAL_DEPROVISION_TASKS: tasks.join('|') }, ROOT).apps.manualTasks.length,
        20,
      );
    });

    it('refuses a 21st task and a task longer than 200 characters', () => {
      const many = Array.from({ length: 21 }, (_, i) => `Task ${i}`).join('|');
      assert.deepEqual(problems({ MANUAL_DEPROVISION_TASKS: many }), [LIMIT]);
      assert.deepEqual(problems({ MANUAL_DEPROVISION_TASKS: `ok|${'x'.repeat(201)}` }), [LIMIT]);
    });
  });
});
