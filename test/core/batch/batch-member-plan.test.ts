// A batch is many ordinary requests behind one approval: each member is prepared by the function a
// single request uses, so its plan (every step kind, the apps, the devices) is the single plan.
import { strict as assert } from 'node:assert';
import { parseBatchCommand } from '../../../src/core/batch/parse-batch-command';
import { loadSandboxTenant } from '../../../src/directory/sandbox';
import { batchHarness, THREAD_REFERENCE, type BatchHarness } from '../../support/batch-harness';
import { serviceHarness } from '../../support/service-harness';

const APP = '7d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6';
const TARGETS = [
  'alice.johnson@contoso.com',
  'bob.smith@contoso.com',
  'carol.nguyen@contoso.com',
  'dana.obrien@contoso.com',
  'evan.park@contoso.com',
];

const saved = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('a batch member is planned as a single request', function () {
  this.timeout(30_000);
  let batches: BatchHarness | undefined;

  afterEach(async () => {
    await batches?.close();
    batches = undefined;
  });

  it('has the same target, steps and plan notes, and the batch the approvals its members need', async () => {
    const settings = { provisioningAppIds: [APP], manualTasks: ['Revoke VPN certificate'] };
    const singles = await serviceHarness(settings);
    batches = await batchHarness(undefined, { sandbox: await loadSandboxTenant(), settings });
    const batch = await batches.service.requestBatch({
      command: parseBatchCommand(`users ${TARGETS.join(' ')} Leavers`),
      requester: batches.person('sam.rivera@contoso.com'),
      conversationReference: THREAD_REFERENCE,
    });
    const children = await batches.store.batches.listChildren(batch.id);
    assert.equal(children.length, TARGETS.length);
    const required: number[] = [];
    for (const address of TARGETS) {
      const single = await singles.ask(address);
      required.push(single.requiredApprovals);
      const child = children.find((c) => c.target.userPrincipalName === address);
      assert.ok(child, address);
      // The child comes back from SQLite, where an absent field and an undefined one are the same.
      assert.deepEqual(child.target, saved(single.target), address);
      assert.deepEqual(child.steps, saved(single.steps), address);
      assert.deepEqual(child.manualTasks, saved(single.manualTasks), address);
      // The "+1 approval" note is the batch card's to show, not each child's.
      assert.deepEqual(
        child.planNotes,
        single.planNotes.filter((note) => !note.includes('privileged directory roles')),
        address,
      );
    }
    assert.ok(
      children.some((c) => c.steps.some((s) => s.id.includes(APP))),
      'apps planned',
    );
    assert.ok(
      children.some((c) => c.steps.some((s) => s.id.startsWith('device-'))),
      'devices planned',
    );
    assert.ok(Math.max(...required) > 2, 'a privileged member needs one more approval');
    assert.equal(batch.requiredApprovals, Math.max(...required));
  });
});
