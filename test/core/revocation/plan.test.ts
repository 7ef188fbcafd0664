import { strict as assert } from 'node:assert';
import { buildPlan, PlanCycleError, readySteps } from '../../../src/core/revocation/plan';
import { withInventory } from '../../../src/core/paths/access-path';
import { containmentGroupPath } from '../../../src/core/paths/containment-group';
import { entraAccountPath } from '../../../src/core/paths/entra-account';
import { entraSessionsPath } from '../../../src/core/paths/entra-sessions';
import { runbookPlan } from '../../support/runbook-plan';
import { DuplicateStepIdError } from '../../../src/core/revocation/step-ids';
import { buildWipePlan } from '../../../src/core/paths/intune-devices';
import type { Device, Step, TargetSnapshot } from '../../../src/core/model';
import { ALICE } from '../../support/builders';

const CLOUD_ONLY: TargetSnapshot = {
  ...ALICE,
  onPremisesSynced: false,
  onPremisesSamAccountName: undefined,
};
const devices: Device[] = [
  { id: 'dev-1', displayName: 'ALICE-LAPTOP', accountEnabled: true },
  { id: 'dev-2', displayName: 'Alice iPhone', accountEnabled: true },
];

const ids = (steps: Step[]) => steps.map((s) => s.id);
const finish = (steps: Step[], done: string[], status: Step['status'] = 'succeeded') =>
  steps.map((s) => (done.includes(s.id) ? { ...s, status } : s));

describe('revocation plan', () => {
  it('runs on-prem first for a synced user when AD is configured', () => {
    const { steps, notes } = runbookPlan(ALICE, devices, { onPremConfigured: true });
    assert.deepEqual(ids(steps), [
      'ad-disable',
      'ad-reset-password',
      'entra-disable',
      'entra-revoke-sessions',
      'device-dev-1',
      'device-dev-2',
    ]);
    assert.deepEqual(notes, []);
    assert.deepEqual(ids(readySteps(steps)), ['ad-disable']);
  });

  it('disables Entra before revoking sessions, and devices in parallel after on-prem', () => {
    const { steps } = runbookPlan(ALICE, devices, { onPremConfigured: true });
    assert.deepEqual(ids(readySteps(finish(steps, ['ad-disable']))), [
      'ad-reset-password',
      'entra-disable',
      'device-dev-1',
      'device-dev-2',
    ]);
    assert.deepEqual(
      ids(readySteps(finish(steps, ['ad-disable', 'ad-reset-password', 'entra-disable']))),
      ['entra-revoke-sessions', 'device-dev-1', 'device-dev-2'],
    );
  });

  it('keeps going after a failed step: order, not success, is the dependency', () => {
    const { steps } = runbookPlan(ALICE, [], { onPremConfigured: true });
    assert.deepEqual(ids(readySteps(finish(steps, ['ad-disable'], 'failed'))), [
      'ad-reset-password',
      'entra-disable',
    ]);
  });

  it('has no AD steps for a cloud-only user', () => {
    const { steps, notes } = runbookPlan(CLOUD_ONLY, devices, { onPremConfigured: true });
    assert.deepEqual(ids(steps), [
      'entra-disable',
      'entra-revoke-sessions',
      'device-dev-1',
      'device-dev-2',
    ]);
    assert.deepEqual(ids(readySteps(steps)), ['entra-disable', 'device-dev-1', 'device-dev-2']);
    assert.deepEqual(notes, []);
  });

  it('warns when a synced user cannot be disabled on-prem because AD is not configured', () => {
    const { steps, notes } = runbookPlan(ALICE, [], { onPremConfigured: false });
    assert.deepEqual(ids(steps), ['entra-disable', 'entra-revoke-sessions']);
    assert.equal(notes.length, 1);
    assert.match(notes[0] ?? '', /next directory sync may re-enable/);
  });

  it('names each device step after its device', () => {
    const { steps } = runbookPlan(CLOUD_ONLY, devices, { onPremConfigured: false });
    const device = steps.find((s) => s.id === 'device-dev-2');
    assert.equal(device?.title, 'Disable device Alice iPhone');
    assert.deepEqual(device?.subject, { id: 'dev-2', name: 'Alice iPhone' });
  });

  it('only offers pending steps whose predecessors are finished', () => {
    const { steps } = runbookPlan(ALICE, [], { onPremConfigured: true });
    const running = steps.map((s) =>
      s.id === 'ad-disable' ? { ...s, status: 'running' as const } : s,
    );
    assert.deepEqual(ids(readySteps(running)), []);
  });
});

describe('one step, one id', () => {
  const app = { id: '7d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6', name: 'Salesforce' };

  it('refuses a plan with two steps of one id, with a typed error naming both', () => {
    // PROVISIONING_APPS=X,X before start-up refused it: 9 steps for 8 actions.
    const twice = () =>
      runbookPlan(CLOUD_ONLY, [], {
        onPremConfigured: false,
        apps: { provisioned: [app, app], scim: [] },
      });
    assert.throws(twice, (error: unknown) => {
      assert.ok(error instanceof DuplicateStepIdError);
      assert.equal(error.stepId, `provision-${app.id}`);
      assert.match(error.message, /two steps with the id provision-7d1e2f3a/);
      return true;
    });
    // Two SCIM names that normalise to one step id.
    assert.throws(
      () =>
        runbookPlan(CLOUD_ONLY, [], {
          onPremConfigured: false,
          apps: { provisioned: [], scim: ['Acme HR', 'acme-hr'] },
        }),
      (error: unknown) => error instanceof DuplicateStepIdError && error.stepId === 'scim-acme-hr',
    );
  });

  it('makes one step of a device a listing returned twice (the same id is the same device)', () => {
    const first = devices[0];
    assert.ok(first);
    const { steps } = runbookPlan(CLOUD_ONLY, [...devices, first], { onPremConfigured: false });
    assert.deepEqual(
      ids(steps).filter((id) => id.startsWith('device-')),
      ['device-dev-1', 'device-dev-2'],
    );
  });

  it('checks the wipe plan too', () => {
    const device = { id: 'm-1', deviceName: 'LAPTOP', managementState: 'managed' };
    assert.throws(
      () => buildWipePlan('Alice', [device, device]),
      (error: unknown) => error instanceof DuplicateStepIdError && error.stepId === 'wipe-m-1',
    );
  });
});

describe('steps that must run before a later path’s step', () => {
  const group = { id: 'group-1', name: 'Blocked users' };

  it('adds the user to the containment group before revoking sessions (CA applies to new sessions)', () => {
    const { steps } = buildPlan(
      ALICE,
      [
        withInventory(entraAccountPath, true),
        withInventory(entraSessionsPath, true),
        withInventory(containmentGroupPath, group),
      ],
      'compromised',
    );
    const revoke = steps.find((s) => s.id === 'entra-revoke-sessions');
    assert.deepEqual(revoke?.dependsOn, ['entra-disable', 'containment-group']);
    assert.deepEqual(ids(readySteps(finish(steps, ['entra-disable']))), ['containment-group']);
  });

  it('refuses a plan whose steps would wait for each other', () => {
    const loop = (id: string, waitsFor: string) =>
      withInventory<true>(
        {
          name: `loop-${id}`,
          title: 'loop',
          actions: {},
          gather: () => Promise.resolve(true),
          plan: () => ({
            steps: [{ id, kind: 'x.y', title: id, dependsOn: [], status: 'pending', attempts: 0 }],
            notes: [],
            runsBefore: [{ step: id, before: waitsFor }],
          }),
        },
        true,
      );
    assert.throws(
      () => buildPlan(ALICE, [loop('a', 'b'), loop('b', 'a')]),
      (error: unknown) =>
        error instanceof PlanCycleError && /a → b → a|b → a → b/.test(error.message),
    );
  });
});
