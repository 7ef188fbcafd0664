// Batch children are planned as single requests are: the configured apps' steps and the manual
// checklist belong to every leaver, whether they were listed alone or with 499 others.
import { strict as assert } from 'node:assert';
import { parseBatchCommand } from '../../../src/core/batch/parse-batch-command';
import { provisioningStepId } from '../../../src/core/paths/apps';
import { ENTRA_ACCOUNT_STEP_IDS } from '../../../src/core/paths/entra-account';
import { batchHarness, THREAD_REFERENCE, type BatchHarness } from '../../support/batch-harness';
import { massTenant } from '../../support/mass-tenant';

const APP = '7d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6';
const TASKS = ['Remove from payroll system', 'Revoke VPN certificate'];

describe('mass revocation: app steps and the manual checklist', function () {
  this.timeout(30_000);
  let harness: BatchHarness | undefined;

  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  async function askForTwo(h: BatchHarness) {
    return h.service.requestBatch({
      command: parseBatchCommand('users mass.user0@contoso.com mass.user1@contoso.com Leavers'),
      requester: h.person('sam.rivera@contoso.com'),
      conversationReference: THREAD_REFERENCE,
    });
  }

  it('plans every child with the provisioning step before the disable, and its own checklist', async () => {
    harness = await batchHarness(massTenant(2).document, {
      settings: { provisioningAppIds: [APP], manualTasks: TASKS },
    });
    const h = harness;
    const batch = await askForTwo(h);
    const children = await h.store.batches.listChildren(batch.id);
    assert.equal(children.length, 2);
    for (const child of children) {
      const step = child.steps.find((s) => s.id === provisioningStepId(APP));
      assert.ok(step, `${child.target.userPrincipalName} has the app step`);
      assert.equal(
        step.title,
        'Unassign from Demo app 7d1e2f3a and provision on demand (the app disables the account now)',
      );
      assert.deepEqual(step.dependsOn, []);
      const disable = child.steps.find((s) => s.id === ENTRA_ACCOUNT_STEP_IDS.disable);
      assert.ok(disable?.dependsOn.includes(provisioningStepId(APP)), 'the disable waits for it');
      assert.deepEqual(
        child.manualTasks?.map((t) => [t.id, t.title, t.doneBy]),
        [
          ['task-1', TASKS[0], undefined],
          ['task-2', TASKS[1], undefined],
        ],
      );
    }
    // One name lookup for the batch, not one per child.
    assert.equal(h.sandbox.behaviour.callsTo('getProvisionedAppName').length, 1);

    await h.service.handleCardAction('approve', batch.id, h.person('priya.patel@contoso.com'));
    await h.service.handleCardAction('approve', batch.id, h.person('jordan.lee@contoso.com'));
    const done = await h.waitForBatch(batch.id, (b) => b.status !== 'running');
    assert.equal(done.status, 'completed');
    for (const member of done.members) {
      assert.equal(
        h.sandbox.provisioning.pushed.get(APP)?.get(member.targetId),
        false,
        `${member.userPrincipalName} is deprovisioned from the app`,
      );
    }
  });

  it('leaves children as before when no apps or tasks are configured', async () => {
    harness = await batchHarness(massTenant(2).document);
    const h = harness;
    const batch = await askForTwo(h);
    const children = await h.store.batches.listChildren(batch.id);
    for (const child of children) {
      assert.ok(!child.steps.some((s) => s.kind.startsWith('app.')));
      assert.equal(child.manualTasks, undefined);
    }
  });
});
