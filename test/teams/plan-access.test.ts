// `plan user …` reads a colleague's devices, MFA methods, consents and roles, so it goes through
// exactly the gate of `user` and leaves an audit record. Through /api/messages with the real app
// (sandbox tenant), replies captured by the stand-in connector.
import { strict as assert } from 'node:assert';
import type { Person } from '../../src/core/model';
import { cardOf } from '../support/connector-standin';
import { startSandboxApp, type SandboxApp } from '../support/sandbox-app';
import { channelMessage } from '../support/activities';
import { MemoryAuditLog } from '../support/memory-audit-log';

/** The sandbox's approver group: Priya and Marcus are in it (transitively), Sam is not. */
const APPROVERS = '13371b25-3f89-43d7-9bc9-09379c4d68f6';
const PLAN = 'plan user alice.johnson@contoso.com --compromised --retire-devices';

describe('`plan` goes through the gate of `user` and is audited (/api/messages, sandbox)', function () {
  this.timeout(20_000);
  let sandbox: SandboxApp;
  let audit: MemoryAuditLog;

  async function start(env: Record<string, string> = {}, log = new MemoryAuditLog()) {
    audit = log;
    sandbox = await startSandboxApp(env, { auditLog: audit });
  }

  afterEach(() => sandbox.stop());

  function person(upn: string): Person {
    return sandbox.person(upn);
  }

  /** Posts the message and returns everything the bot posted in answer. */
  async function say(from: Person, text: string, wait: (n: number) => boolean = (n) => n >= 1) {
    const { connector, serviceUrl } = sandbox;
    const before = connector.posted().length;
    assert.equal((await sandbox.post(channelMessage(from, text, { serviceUrl }))).status, 200);
    await connector.waitFor(() => wait(connector.posted().length - before) || undefined);
    return connector.posted().slice(before);
  }

  /** Reads of the target that only a plan (or a request) makes. */
  function targetReads(): number {
    const behaviour = sandbox.app.sandbox?.behaviour;
    assert.ok(behaviour);
    return ['findUser', 'listRegisteredDevices', 'listDirectoryRoles'].reduce(
      (sum, op) => sum + behaviour.callsTo(op as 'findUser').length,
      0,
    );
  }

  it('a plan is an audit record: who looked at whom, with which profile and options, when', async () => {
    await start();
    const sam = person('sam.rivera@contoso.com');
    const [reply] = await say(sam, PLAN);
    assert.ok(reply && cardOf(reply), 'the dry-run card was shown');
    const [record] = audit.ofType('plan.previewed');
    assert.ok(record, 'the plan left an audit record');
    assert.equal(record.actorId, sam.id);
    assert.equal(record.requestId, undefined, 'nothing was saved: no request id');
    assert.deepEqual(
      { ...record.details, steps: undefined },
      {
        targetId: 'a17201cf-0dfb-4500-802b-04577183531d',
        targetUpn: 'alice.johnson@contoso.com',
        profile: 'compromised',
        retireDevices: true,
        steps: undefined,
      },
    );
    assert.ok(Number(record.details['steps']) > 0);
    assert.ok(Math.abs(Date.parse(record.at) - Date.now()) < 60_000, 'stamped with the time');
    assert.deepEqual((await audit.verify()).ok, true);
  });

  it('a plan whose audit record cannot be written is not shown', async () => {
    const failing = new MemoryAuditLog();
    failing.failAppends((event) => event.type === 'plan.previewed');
    await start({}, failing);
    const [reply] = await say(person('sam.rivera@contoso.com'), PLAN);
    assert.equal(cardOf(reply ?? {}), undefined, 'no dry-run card');
    assert.match(String(reply?.text), /could not be written to the audit trail/);
    assert.ok(!String(reply?.text).includes('ALICE-LT'), 'nothing about the target is shown');
  });

  it('REQUESTER_GROUP_ID: a plan by someone outside the group is refused before any read of the target, and audited', async () => {
    await start({ REQUESTER_GROUP_ID: APPROVERS });
    const sam = person('sam.rivera@contoso.com');
    const [reply] = await say(sam, PLAN);
    assert.equal(cardOf(reply ?? {}), undefined, 'no dry-run card');
    assert.match(String(reply?.text), /Only members of the requester group/);
    assert.equal(targetReads(), 0, 'nothing about the target was read');
    assert.equal(audit.ofType('plan.previewed').length, 0);
    const [refusal] = audit.ofType('request.refused');
    assert.equal(refusal?.actorId, sam.id);
    assert.equal(refusal?.details['code'], 'not_requester');
    assert.equal(refusal?.details['dryRun'], true);

    // A member of the group gets the plan.
    const [allowed] = await say(person('priya.patel@contoso.com'), PLAN);
    assert.ok(allowed && cardOf(allowed), 'a member of the requester group sees the plan');
  });

  it('ALLOWED_CHANNEL_IDS: a plan from a channel not listed is refused and reads nothing', async () => {
    await start({ ALLOWED_CHANNEL_IDS: '19:another-channel@thread.tacv2' });
    const [reply] = await say(person('sam.rivera@contoso.com'), PLAN);
    assert.equal(cardOf(reply ?? {}), undefined, 'no dry-run card');
    assert.match(String(reply?.text), /not enabled here/);
    assert.equal(targetReads(), 0, 'nothing about the target was read');
    assert.equal(audit.ofType('plan.previewed').length, 0);
    assert.equal(
      audit.ofType('access.refused')[0]?.details['reason'],
      'message from a disallowed channel',
    );
  });

  it('plans count toward COMMANDS_PER_MINUTE', async () => {
    await start({ COMMANDS_PER_MINUTE: '2' });
    const sam = person('sam.rivera@contoso.com');
    for (let i = 0; i < 2; i++) {
      const [card] = await say(sam, PLAN);
      assert.ok(card && cardOf(card), `plan ${i + 1} is within the budget`);
    }
    const reads = targetReads();
    const [refused] = await say(sam, PLAN);
    assert.equal(cardOf(refused ?? {}), undefined);
    assert.match(String(refused?.text), /faster than I take them/);
    assert.equal(targetReads(), reads, 'the refused plan read nothing');
    assert.equal(audit.ofType('plan.previewed').length, 2);
  });
});
