// The manual checklist as Teams drives it: MANUAL_DEPROVISION_TASKS set, the request approved
// through /api/messages, then tasks ticked on the card by approvers and refused to others.
import { strict as assert } from 'node:assert';
import type { Person } from '../../src/core/model';
import { cardOf } from '../support/connector-standin';
import { cardText } from '../support/card-text';
import { cardAction, channelMessage } from '../support/activities';
import { MemoryAuditLog } from '../support/memory-audit-log';
import { startSandboxApp, type SandboxApp } from '../support/sandbox-app';

interface InvokeAnswer {
  type: string;
  value: unknown;
}

describe('the manual checklist through /api/messages (sandbox tenant)', function () {
  this.timeout(20_000);
  let sandbox: SandboxApp;
  let audit: MemoryAuditLog;

  beforeEach(async () => {
    audit = new MemoryAuditLog();
    sandbox = await startSandboxApp(
      { MANUAL_DEPROVISION_TASKS: 'Remove from payroll system | Revoke VPN certificate' },
      { auditLog: audit },
    );
  });
  afterEach(() => sandbox.stop());

  it('lets an approver tick a task once after approval, refuses a second tick and non-approvers, and audits it', async () => {
    const { connector, serviceUrl } = sandbox;
    const sam = sandbox.person('sam.rivera@contoso.com') as Person;
    const priya = sandbox.person('priya.patel@contoso.com') as Person;
    const marcus = sandbox.person('marcus.chen@contoso.com') as Person;
    const elena = sandbox.person('elena.garcia@contoso.com') as Person;

    const message = channelMessage(sam, 'user alice.johnson@contoso.com Leaver today', {
      serviceUrl,
    });
    assert.equal((await sandbox.post(message)).status, 200);
    const posted = await connector.waitFor(() =>
      connector.calls.find((c) => c.method === 'POST' && cardOf(c.activity)),
    );
    const cardId = String(posted.activity.id);
    const [saved] = await sandbox.app.store.listByStatus(['pending']);
    assert.ok(saved);
    const requestId = saved.id;
    assert.deepEqual(
      saved.manualTasks?.map((t) => t.title),
      ['Remove from payroll system', 'Revoke VPN certificate'],
    );
    const ctx = { serviceUrl, threadId: String(message.id), cardActivityId: cardId };
    const tick = async (person: Person, taskId: string) =>
      (await sandbox.post(cardAction(person, 'taskDone', { requestId, taskId }, ctx)))
        .body as InvokeAnswer;

    const early = await tick(priya, 'task-1');
    assert.match(String(early.value), /opens once the request is approved/);

    for (const approver of [priya, marcus]) {
      await sandbox.post(cardAction(approver, 'approve', { requestId }, ctx));
    }
    const final = await connector.waitFor(() => {
      const versions = connector.cardVersions(cardId);
      const last = versions[versions.length - 1];
      return last && cardText(last).includes('Completed') ? last : undefined;
    });
    assert.match(cardText(final), /Manual checklist: 0 of 2 done/);

    const first = await tick(priya, 'task-1');
    assert.equal(first.type, 'application/vnd.microsoft.card.adaptive', JSON.stringify(first));
    assert.match(cardText(first.value), /Manual checklist: 1 of 2 done/);
    assert.match(cardText(first.value), /✓ Remove from payroll system — done by Priya Patel at/);
    const channelCard = await connector.waitFor(() => {
      const versions = connector.cardVersions(cardId);
      const last = versions[versions.length - 1];
      return last && cardText(last).includes('done by Priya Patel') ? last : undefined;
    });
    assert.match(cardText(channelCard), /○ Revoke VPN certificate/);

    const again = await tick(marcus, 'task-1');
    assert.equal(again.type, 'application/vnd.microsoft.activity.message');
    assert.match(String(again.value), /already done \(ticked by Priya Patel at /);

    const outsider = await tick(elena, 'task-2');
    assert.equal(outsider.type, 'application/vnd.microsoft.activity.message');
    assert.match(String(outsider.value), /Only members of the approver group/);

    const after = await sandbox.app.store.get(requestId);
    assert.deepEqual(
      after?.manualTasks?.map((t) => [t.id, t.doneBy?.id]),
      [
        ['task-1', priya.id],
        ['task-2', undefined],
      ],
    );
    const done = audit.ofType('task.done');
    assert.equal(done.length, 1);
    assert.equal(done[0]?.actorId, priya.id);
    assert.equal(done[0]?.requestId, requestId);
    assert.deepEqual(done[0]?.details, { taskId: 'task-1', title: 'Remove from payroll system' });
    const refusals = audit.records.filter(
      (e) => e.type !== 'task.done' && JSON.stringify(e.details).includes('taskDone'),
    );
    assert.ok(refusals.length >= 3, JSON.stringify(audit.records.map((e) => e.type)));
  });
});
