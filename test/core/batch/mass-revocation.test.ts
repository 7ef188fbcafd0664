// Mass revocation end to end in the core: 500 generated sandbox users behind one approval, each
// run by the ordinary engine; the batch's approval rules, per-user retry and a restart.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSandboxTenant } from '../../../src/directory/sandbox';
import { parseBatchCommand } from '../../../src/core/batch/parse-batch-command';
import { batchProgress } from '../../../src/core/batch/batch-progress';
import { batchHarness, THREAD_REFERENCE, type BatchHarness } from '../../support/batch-harness';
import { massTenant } from '../../support/mass-tenant';

describe('mass revocation (core)', function () {
  this.timeout(120_000);
  let harness: BatchHarness | undefined;

  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('revokes 500 sandbox users behind one approval, every user accounted for', async () => {
    const { document, upns } = massTenant(500);
    harness = await batchHarness(document);
    const h = harness;
    const command = parseBatchCommand(
      `users ${upns.join(' ')} nobody@contoso.com breakglass01@contoso.onmicrosoft.com ${upns[0]} Phishing wave`,
    );
    assert.equal(command.duplicates, 1);
    const batch = await h.service.requestBatch({
      command,
      requester: h.person('sam.rivera@contoso.com'),
      conversationReference: THREAD_REFERENCE,
    });
    assert.equal(batch.members.length, 500);
    assert.deepEqual(
      batch.skipped.map((s) => [s.entry, s.reason]),
      [
        ['nobody@contoso.com', 'unknown_user'],
        ['breakglass01@contoso.onmicrosoft.com', 'protected_target'],
      ],
    );
    assert.equal(h.notifier.cards.length, 1, 'one approval card for the whole batch');

    const first = await h.service.handleCardAction(
      'approve',
      batch.id,
      h.person('priya.patel@contoso.com'),
    );
    assert.ok(first.accepted, first.message);
    const second = await h.service.handleCardAction(
      'approve',
      batch.id,
      h.person('jordan.lee@contoso.com'),
    );
    assert.ok(second.accepted, second.message);

    const done = await h.waitForBatch(batch.id, (b) => b.status !== 'running', 90_000);
    assert.equal(done.status, 'completed');
    const children = await h.store.batches.listChildren(batch.id);
    assert.equal(children.length, 500);
    const progress = batchProgress(children);
    assert.equal(progress.fully, 500);
    for (const member of done.members) {
      const user = await h.sandbox.directory.getUser(member.targetId);
      assert.equal(user?.accountEnabled, false, member.userPrincipalName);
    }
    // Every child carries the batch's approvals, so the audit links approvers to its steps.
    assert.ok(children.every((c) => c.approvals.length === 2 && c.batchId === batch.id));
    // Coalesced: a handful of card edits, not one per step (500 users × 4+ steps × 2 saves).
    const edits = h.notifier.cards.length;
    assert.ok(edits < 200, `${edits} card edits`);
    assert.equal(h.singles.cards.length, 0, 'no per-user cards');
    assert.equal(h.singles.milestones.length, 0, 'no per-user thread messages');
    assert.ok(h.notifier.milestones.some((m) => m.includes('all 500 users')));
  });

  describe('approval rules on a batch', () => {
    beforeEach(async () => {
      harness = await batchHarness(massTenant(3).document);
    });

    async function ask(h: BatchHarness, extra = '') {
      return h.service.requestBatch({
        command: parseBatchCommand(
          `users mass.user0@contoso.com mass.user1@contoso.com ${extra} Phishing wave`,
        ),
        requester: h.person('sam.rivera@contoso.com'),
        conversationReference: THREAD_REFERENCE,
      });
    }

    it('refuses the requester, any member of the batch, non-approvers and a second click', async () => {
      const h = harness as BatchHarness;
      const batch = await ask(h, 'priya.patel@contoso.com');
      const bySam = await h.service.handleCardAction(
        'approve',
        batch.id,
        h.person('sam.rivera@contoso.com'),
      );
      assert.equal(bySam.accepted, false);
      assert.match(bySam.message, /cannot approve/);
      const byMember = await h.service.handleCardAction(
        'approve',
        batch.id,
        h.person('priya.patel@contoso.com'),
      );
      assert.equal(byMember.accepted, false);
      assert.match(byMember.message, /one of the people whose access this batch revokes/);
      const rejectByMember = await h.service.handleCardAction(
        'reject',
        batch.id,
        h.person('priya.patel@contoso.com'),
      );
      assert.equal(rejectByMember.accepted, false);
      const byBob = await h.service.handleCardAction(
        'approve',
        batch.id,
        h.person('bob.smith@contoso.com'),
      );
      assert.equal(byBob.accepted, false);
      assert.match(byBob.message, /approver group/);
      const byJordan = await h.service.handleCardAction(
        'approve',
        batch.id,
        h.person('jordan.lee@contoso.com'),
      );
      assert.ok(byJordan.accepted);
      const again = await h.service.handleCardAction(
        'approve',
        batch.id,
        h.person('jordan.lee@contoso.com'),
      );
      assert.equal(again.accepted, false);
      assert.match(again.message, /already approved/);
      const codes = h.audit.ofType('action.refused').map((e) => e.details['code']);
      assert.deepEqual(codes, [
        'self_approval',
        'target_approval',
        'target_approval',
        'not_authorised',
        'already_approved',
      ]);
      assert.equal((await h.service.getBatch(batch.id))?.status, 'pending');
    });

    it('needs one more approval when a member holds a privileged role', async () => {
      const h = harness as BatchHarness;
      const batch = await ask(h, 'carol.nguyen@contoso.com');
      assert.equal(batch.requiredApprovals, 3);
    });

    it('binds children to the batch: a click on any real card cannot act on a child', async () => {
      const h = harness as BatchHarness;
      const batch = await ask(h);
      const child = await h.store.get(batch.members[0]!.requestId);
      assert.equal(child?.status, 'pending');
      assert.equal(child?.card.cardActivityId, `batch:${batch.id}`);
    });

    it('the final approval re-checks the batch’s approvals: one removed since does not count', async () => {
      const h = harness as BatchHarness;
      const batch = await ask(h);
      const priya = h.person('priya.patel@contoso.com');
      assert.ok((await h.service.handleCardAction('approve', batch.id, priya)).accepted);
      h.sandbox.directory.setDirectMember(h.sandbox.approverGroupId, priya.id, false);
      const result = await h.service.handleCardAction(
        'approve',
        batch.id,
        h.person('marcus.chen@contoso.com'),
      );
      assert.ok(result.accepted);
      assert.match(
        result.message,
        /Priya Patel's approval no longer counts: not in the approver group any more\. 1 more/,
      );
      assert.equal(result.batch.status, 'pending');
      assert.equal(result.batch.lapsedApprovals?.[0]?.approver.id, priya.id);
      const children = await h.store.batches.listChildren(batch.id);
      assert.deepEqual(
        children.map((c) => c.status),
        ['pending', 'pending'],
      );
      const [lapse] = h.audit.ofType('approval.lapsed');
      assert.equal(lapse?.details['approverId'], priya.id);
      assert.equal(lapse?.details['batch'], true);
      assert.equal(h.audit.ofType('request.approved').length, 0);
    });

    it('rejection closes every child; nothing is changed', async () => {
      const h = harness as BatchHarness;
      const batch = await ask(h);
      const result = await h.service.handleCardAction(
        'reject',
        batch.id,
        h.person('priya.patel@contoso.com'),
      );
      assert.ok(result.accepted);
      const children = await h.store.batches.listChildren(batch.id);
      assert.deepEqual(
        children.map((c) => c.status),
        ['rejected', 'rejected'],
      );
      const user = await h.sandbox.directory.findUser('mass.user0@contoso.com');
      assert.equal(user?.accountEnabled, true);
    });
  });

  it('reports fully / partially / not at all and retries only the failed users', async () => {
    const { document } = massTenant(6);
    harness = await batchHarness(document);
    const h = harness;
    const ids = ['000000000001', '000000000002'].map((hex) => `aaaaaaaa-0000-4000-8000-${hex}`);
    // User 1: the Entra disable fails (partially revoked); user 2: every Entra call fails.
    h.sandbox.behaviour.failAlways('disableUser', 'permission', { subject: ids[0] });
    for (const op of ['disableUser', 'revokeSignInSessions'] as const) {
      h.sandbox.behaviour.failAlways(op, 'permission', { subject: ids[1] });
    }
    h.sandbox.behaviour.failAlways('getDevice', 'permission', {
      subject: 'dddddddd-0000-4000-8000-000000000002',
    });
    const batch = await h.service.requestBatch({
      command: parseBatchCommand(
        `users ${[1, 2, 3, 4, 5].map((i) => `mass.user${i}@contoso.com`).join(' ')} Phishing wave`,
      ),
      requester: h.person('sam.rivera@contoso.com'),
      conversationReference: THREAD_REFERENCE,
    });
    await h.service.handleCardAction('approve', batch.id, h.person('priya.patel@contoso.com'));
    await h.service.handleCardAction('approve', batch.id, h.person('jordan.lee@contoso.com'));
    const finished = await h.waitForBatch(batch.id, (b) => b.status === 'completed_with_failures');
    let progress = await h.service.progressOf(finished);
    assert.deepEqual([progress.fully, progress.partially, progress.notAtAll], [3, 1, 1]);
    const last = h.notifier.cards.at(-1);
    assert.equal(last?.batch.status, 'completed_with_failures');
    assert.ok(
      h.notifier.milestones.some((m) => /3 fully revoked, 1 partially, 1 not at all/.test(m)),
    );

    const byBob = await h.service.handleCardAction(
      'retry',
      batch.id,
      h.person('bob.smith@contoso.com'),
    );
    assert.equal(byBob.accepted, false);
    h.sandbox.behaviour.clearFaults();
    const before = (await h.store.batches.listChildren(batch.id)).map((c) => [c.id, c.version]);
    const retry = await h.service.handleCardAction(
      'retry',
      batch.id,
      h.person('priya.patel@contoso.com'),
    );
    assert.ok(retry.accepted, retry.message);
    assert.match(retry.message, /2 user/);
    const again = await h.waitForBatch(batch.id, (b) => b.status === 'completed');
    progress = await h.service.progressOf(again);
    assert.equal(progress.fully, 5);
    assert.equal(again.retries, 1);
    // The three fully revoked users were not touched again.
    const after = new Map(
      (await h.store.batches.listChildren(batch.id)).map((c) => [c.id, c.version]),
    );
    const untouched = before.filter(([id, version]) => after.get(id as string) === version);
    assert.equal(untouched.length, 3);
  });

  it('survives a restart: approvals and children are durable, an approved batch resumes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'revoke-batch-'));
    const filename = join(dir, 'revoke.db');
    const { document } = massTenant(20);
    const sandbox = createSandboxTenant(document, { latencyMs: 0 });
    try {
      const firstLife = await batchHarness(document, { filename, sandbox });
      const batch = await firstLife.service.requestBatch({
        command: parseBatchCommand(
          `users ${Array.from({ length: 20 }, (_, i) => `mass.user${i}@contoso.com`).join(' ')} Phishing wave`,
        ),
        requester: firstLife.person('sam.rivera@contoso.com'),
        conversationReference: THREAD_REFERENCE,
      });
      await firstLife.service.handleCardAction(
        'approve',
        batch.id,
        firstLife.person('priya.patel@contoso.com'),
      );
      await firstLife.close();

      harness = await batchHarness(document, { filename, sandbox });
      const h = harness;
      const reopened = await h.service.getBatch(batch.id);
      assert.equal(reopened?.approvals.length, 1);
      assert.equal((await h.store.batches.listChildren(batch.id)).length, 20);
      // The process dies right after the final approval was saved, before any child was flipped.
      const saved = await h.store.batches.getBatch(batch.id);
      assert.ok(saved);
      const approved = {
        ...saved,
        version: saved.version + 1,
        status: 'running' as const,
        approvals: [
          ...saved.approvals,
          { approver: h.person('jordan.lee@contoso.com'), at: new Date().toISOString() },
        ],
        runStartedAt: new Date().toISOString(),
      };
      assert.ok(await h.store.batches.compareAndSwapBatch(approved, saved.version));
      assert.deepEqual(await h.service.resume(), [batch.id]);
      const done = await h.waitForBatch(batch.id, (b) => b.status === 'completed');
      assert.equal((await h.service.progressOf(done)).fully, 20);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
