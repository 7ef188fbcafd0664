import { strict as assert } from 'node:assert';
import sinon from 'sinon';
import { DirectoryError } from '../../../src/core/errors';
import { RevokeService } from '../../../src/core/revoke-service';
import type { RevocationRequest } from '../../../src/core/model';
import type { OutreachSettings } from '../../../src/core/outreach/outreach-settings';
import { nextOutreachAt } from '../../../src/core/outreach/outreach-state';
import {
  serviceHarness,
  THREAD_REFERENCE,
  type ServiceHarness,
} from '../../support/service-harness';
import { RecordingPager } from '../../support/recording-pager';
import { captureLogger } from '../../support/capture-logger';

// The sandbox tenant: Priya, Jordan and (through Security Managers) Marcus approve; Sam asks.
const FINANCE_GROUP = '51709574-85a8-492a-8da0-4050700d7937';
const OUTREACH: OutreachSettings = {
  personalCards: true,
  maxPeople: 25,
  reminderMinutes: 10,
  escalation: { minutes: 20, groupId: FINANCE_GROUP },
};

describe('outreach: approvers reached, reminded, escalated, paged', () => {
  let h: ServiceHarness;
  let pager: RecordingPager;

  afterEach(() => sinon.restore());

  beforeEach(async () => {
    pager = new RecordingPager();
    h = await serviceHarness({ outreach: OUTREACH }, { pagers: [pager] });
  });

  async function ask(): Promise<RevocationRequest> {
    const request = await h.ask('bob.smith@contoso.com');
    await h.service.outreachSettled();
    return request;
  }

  const ids = (...upns: string[]) => upns.map((upn) => h.person(upn).id).sort();

  async function saved(id: string): Promise<RevocationRequest> {
    const request = await h.store.get(id);
    assert.ok(request);
    return request;
  }

  it('sends every approver but the requester the card in a personal chat, and pages on-call at once', async () => {
    const request = await ask();
    const sentTo = h.notifier.personalCards.map((c) => c.personId).sort();
    assert.deepEqual(
      sentTo,
      ids('priya.patel@contoso.com', 'jordan.lee@contoso.com', 'marcus.chen@contoso.com'),
    );
    const current = await saved(request.id);
    assert.equal(current.personalCards?.length, 3);
    assert.ok(
      current.personalCards?.every((copy) => copy.as === 'approver' && copy.cardActivityId),
    );
    assert.equal(pager.triggered.length, 1);
    assert.equal(pager.triggered[0]?.key, `revoke-${request.id}`);
    assert.match(pager.triggered[0]?.summary ?? '', /Bob Smith/);
    assert.equal(pager.triggered[0]?.link?.href, `https://teams.example/thread/${request.id}`);
    const types = h.audit.records.map((r) => r.type);
    assert.ok(types.includes('approvers.notified'));
    assert.ok(types.includes('page.triggered'));
  });

  it('says on the card and in the thread who could not be reached in a personal chat', async () => {
    h.notifier.notInstalledFor.add(h.person('jordan.lee@contoso.com').id);
    const request = await ask();
    const current = await saved(request.id);
    const unreachable = current.outreach?.personalCards?.unreachable ?? [];
    assert.deepEqual(
      unreachable.map((u) => u.person.name),
      ['Jordan Lee'],
    );
    assert.match(unreachable[0]?.why ?? '', /not installed/);
    const notice = h.notifier.milestones.find((m) =>
      /could not be sent in a personal chat/.test(m.text),
    );
    assert.ok(notice, JSON.stringify(h.notifier.milestones));
    assert.match(notice.text, /Jordan Lee/);
    assert.match(notice.text, /Reaching approvers/);
    assert.equal(current.personalCards?.length, 2);
  });

  it('reminds only the approvers who have not answered, once, when the reminder falls due', async () => {
    const request = await ask();
    await h.service.handleCardAction('approve', request.id, h.person('priya.patel@contoso.com'), {
      cardActivityId: 'activity-1',
    });
    h.clock.advanceMinutes(9);
    assert.equal(await h.service.runOutreach(), 0, 'nothing is due before 10 minutes');
    assert.equal(h.notifier.calls.length, 0);
    h.clock.advanceMinutes(1);
    assert.equal(await h.service.runOutreach(), 1);
    assert.equal(h.notifier.calls.length, 1);
    const call = h.notifier.calls[0];
    assert.deepEqual(call?.people.sort(), ids('jordan.lee@contoso.com', 'marcus.chen@contoso.com'));
    assert.match(call?.text ?? '', /^Reminder: Sam Rivera asked 10 min ago/);
    // The same words in the personal chats of those two, where their copies are.
    assert.equal(h.notifier.personalMessages.length, 2);
    h.clock.advanceMinutes(1);
    assert.equal(await h.service.runOutreach(), 0, 'a reminder is sent once');
    assert.equal(h.notifier.calls.length, 1);
    const current = await saved(request.id);
    assert.ok(current.outreach?.reminder?.doneAt);
    assert.equal(h.audit.records.filter((r) => r.type === 'approval.reminded').length, 1);
  });

  it('escalates to the escalation group, whose members may approve only from then on', async () => {
    const request = await ask();
    await h.service.handleCardAction('approve', request.id, h.person('priya.patel@contoso.com'), {
      cardActivityId: 'activity-1',
    });
    const elena = h.person('elena.garcia@contoso.com');
    const early = await h.service.handleCardAction('approve', request.id, elena);
    assert.equal(early.accepted, false);
    assert.match(early.message, /Only members of the approver group can approve/);

    h.clock.advanceMinutes(20);
    await h.service.runOutreach();
    const escalation = h.notifier.calls.find((c) => /^Escalated:/.test(c.text));
    assert.ok(escalation, JSON.stringify(h.notifier.calls));
    // Finance: Elena, Alice and Carol; Bob is the target (not a member), Sam asked.
    assert.deepEqual(
      escalation.people.sort(),
      ids('elena.garcia@contoso.com', 'alice.johnson@contoso.com', 'carol.nguyen@contoso.com'),
    );
    const current = await saved(request.id);
    const copies = (current.personalCards ?? []).filter((c) => c.as === 'escalation');
    assert.equal(copies.length, 3);
    assert.equal(await h.service.viewerRole(current, elena), 'approver');

    const copy = copies.find((c) => c.personId === elena.id);
    const result = await h.service.handleCardAction('approve', request.id, elena, {
      cardActivityId: copy?.cardActivityId,
    });
    assert.equal(result.accepted, true, result.message);
    assert.equal(result.request.status, 'running');
    assert.deepEqual(
      result.request.approvals.map((a) => a.as),
      ['approver', 'escalation'],
    );
    await h.engine.run(request.id);
    await h.service.outreachSettled();
    assert.deepEqual(pager.resolved, [{ key: `revoke-${request.id}`, why: 'approved' }]);
  });

  it('lets an escalation-group member reject once escalated, and resolves the page as rejected', async () => {
    const request = await ask();
    h.clock.advanceMinutes(20);
    await h.service.runOutreach();
    const result = await h.service.handleCardAction(
      'reject',
      request.id,
      h.person('alice.johnson@contoso.com'),
    );
    assert.equal(result.accepted, true, result.message);
    await h.service.outreachSettled();
    assert.deepEqual(pager.resolved, [{ key: `revoke-${request.id}`, why: 'rejected' }]);
  });

  it('resolves the page of a request that expired', async () => {
    const request = await ask();
    h.clock.advanceMinutes(61);
    assert.equal(await h.service.expireDue(), 1);
    await h.service.outreachSettled();
    assert.deepEqual(pager.resolved, [{ key: `revoke-${request.id}`, why: 'expired' }]);
    assert.equal(nextOutreachAt(await saved(request.id)), null, 'nothing more to do');
  });

  it('retries a throttled page after its Retry-After, and gives up on a refusal with a notice', async () => {
    pager.failures.push(
      new DirectoryError('throttled', 'PagerDuty answered 429', { retryAfterMs: 90_000 }),
    );
    const request = await ask();
    assert.equal(pager.triggered.length, 0);
    let current = await saved(request.id);
    const retryAt = current.outreach?.pages?.[0]?.retryAt;
    assert.equal(retryAt, new Date(Date.parse(request.createdAt) + 90_000).toISOString());
    h.clock.advance(89_000);
    await h.service.runOutreach();
    assert.equal(pager.triggered.length, 0, 'not before Retry-After');
    h.clock.advance(1_000);
    await h.service.runOutreach();
    assert.equal(pager.triggered.length, 1);

    const second = await h.ask('alice.johnson@contoso.com');
    pager.failures.push(
      new DirectoryError('rejected', 'PagerDuty refused: routing_key is invalid'),
    );
    await h.service.outreachSettled();
    current = await saved(second.id);
    assert.match(current.outreach?.pages?.[0]?.failed ?? '', /routing_key is invalid/);
    assert.ok(
      h.notifier.milestones.some(
        (m) => m.requestId === second.id && /could not be paged/.test(m.text),
      ),
    );
    assert.ok(h.audit.records.some((r) => r.type === 'page.failed'));
  });

  it('happens once when two instances sweep the same store', async () => {
    const request = await ask();
    // A second instance on the same store, directory and clock.
    const other = new RevokeService({
      store: h.store,
      directory: h.sandbox.directory,
      notifier: h.notifier,
      engine: h.engine,
      clock: h.clock,
      logger: captureLogger(),
      audit: h.audit,
      pagers: [pager],
      settings: {
        requiredApprovals: 2,
        approvalTimeoutMinutes: 60,
        approverGroupId: h.sandbox.approverGroupId,
        protectedUsers: [],
        onPremConfigured: true,
        outreach: OUTREACH,
      },
    });
    h.clock.advanceMinutes(10);
    const done = await Promise.all([h.service.runOutreach(), other.runOutreach()]);
    assert.equal(done[0] + done[1], 1);
    assert.equal(h.notifier.calls.filter((c) => c.requestId === request.id).length, 1);
  });

  it('takes over a claim left by an instance that died mid-way, after the claim lapses', async () => {
    const request = await ask();
    h.clock.advanceMinutes(10);
    // An instance claimed the reminder and died before sending it.
    const current = await saved(request.id);
    const claimed: RevocationRequest = {
      ...current,
      version: current.version + 1,
      outreach: {
        ...current.outreach,
        reminder: {
          dueAt: current.outreach?.reminder?.dueAt ?? '',
          claimedAt: h.clock.now().toISOString(),
        },
      },
    };
    assert.ok(await h.store.compareAndSwap(claimed, current.version));
    assert.equal(await h.service.runOutreach(), 0, 'a fresh claim is left alone');
    h.clock.advanceMinutes(2);
    assert.equal(await h.service.runOutreach(), 1);
    assert.equal(h.notifier.calls.length, 1);
  });

  it('re-checks an escalation approval at the final approval: a member who left no longer counts', async () => {
    const request = await ask();
    h.clock.advanceMinutes(20);
    await h.service.runOutreach();
    const carol = h.person('carol.nguyen@contoso.com');
    const first = await h.service.handleCardAction('approve', request.id, carol);
    assert.equal(first.accepted, true, first.message);
    // Carol leaves the escalation group before the request is complete.
    const directory = h.sandbox.directory;
    const memberGroups = directory.memberGroups.bind(directory);
    sinon
      .stub(directory, 'memberGroups')
      .callsFake(async (userId, groupIds) =>
        userId === carol.id ? [] : memberGroups(userId, groupIds),
      );
    const last = await h.service.handleCardAction(
      'approve',
      request.id,
      h.person('priya.patel@contoso.com'),
    );
    assert.equal(last.request.status, 'pending');
    assert.match(last.message, /not in the escalation group any more/);
  });

  it('does nothing for a request made without outreach settings', async () => {
    const plain = await serviceHarness();
    await plain.service.requestRevocation({
      target: 'bob.smith@contoso.com',
      reason: 'x',
      requester: plain.person('sam.rivera@contoso.com'),
      conversationReference: THREAD_REFERENCE,
    });
    plain.clock.advanceMinutes(30);
    assert.equal(await plain.service.runOutreach(), 0);
    assert.equal(plain.notifier.personalCards.length, 0);
  });
});
