// Where the bot answers and how it treats hostile traffic, through /api/messages with the real
// app (sandbox tenant, SQLite): the tenant and channel gate, the per-person command rate limit,
// a table of forged and replayed card actions, and two clicks in the same millisecond.
import { strict as assert } from 'node:assert';
import type { RevokeApp } from '../../src/app';
import type { Person } from '../../src/core/model';
import { cardOf, type ConnectorStandin } from '../support/connector-standin';
import { startSandboxApp, type SandboxApp } from '../support/sandbox-app';
import { cardAction, channelMessage, CHANNEL_CONVERSATION } from '../support/activities';
import { MemoryAuditLog } from '../support/memory-audit-log';

const OTHER_TENANT = 'bad7e4a2-0000-4000-8000-00000000beef';

interface Answer {
  status: number;
  body: { statusCode?: number; type?: string; value?: unknown } | undefined;
}

describe('access control through /api/messages (sandbox tenant)', function () {
  this.timeout(20_000);
  let sandbox: SandboxApp;
  let connector: ConnectorStandin;
  let serviceUrl: string;
  let app: RevokeApp;
  let baseUrl: string;
  let audit: MemoryAuditLog;
  let people: Record<'sam' | 'priya' | 'marcus' | 'jordan', Person>;

  async function start(env: Record<string, string> = {}): Promise<void> {
    audit = new MemoryAuditLog();
    sandbox = await startSandboxApp(env, { auditLog: audit });
    ({ app, connector, serviceUrl, baseUrl } = sandbox);
    people = {
      sam: sandbox.person('sam.rivera@contoso.com'),
      priya: sandbox.person('priya.patel@contoso.com'),
      marcus: sandbox.person('marcus.chen@contoso.com'),
      jordan: sandbox.person('jordan.lee@contoso.com'),
    };
  }

  afterEach(() => sandbox.stop());

  async function post(activity: unknown): Promise<Answer> {
    return (await sandbox.post(activity)) as Answer;
  }

  function ask(upn: string, threadId?: string) {
    return sandbox.askFor(people.sam, `user ${upn} Token theft`, threadId);
  }

  function inTenant(
    activity: Record<string, unknown>,
    tenantId: string,
    where: 'both' | 'channelData',
  ) {
    (activity.channelData as { tenant: { id: string } }).tenant.id = tenantId;
    if (where === 'both') (activity.conversation as { tenantId: string }).tenantId = tenantId;
    return activity;
  }

  describe('tenant and channel gate', () => {
    it('another tenant: the bot says it is not enabled, makes no request, and audits the refusal', async () => {
      await start();
      const before = connector.texts().length;
      const message = inTenant(
        channelMessage(people.sam, 'user alice.johnson@contoso.com Phished', { serviceUrl }),
        OTHER_TENANT,
        'both',
      );
      assert.equal((await post(message)).status, 200);
      assert.match(await connector.waitFor(() => connector.texts()[before]), /not enabled here/);
      assert.deepEqual(await app.store.listByStatus(['pending']), []);
      assert.equal(
        audit.ofType('access.refused')[0]?.details['reason'],
        'message from a disallowed tenant',
      );
    });

    it('a tenant id that disagrees between conversation and channelData is refused', async () => {
      await start();
      const message = inTenant(
        channelMessage(people.sam, 'user alice.johnson@contoso.com Phished', { serviceUrl }),
        OTHER_TENANT,
        'channelData',
      );
      await post(message);
      assert.deepEqual(await app.store.listByStatus(['pending']), []);
    });

    it('card clicks from another tenant do nothing', async () => {
      await start();
      const { requestId, ctx } = await ask('bob.smith@contoso.com');
      const click = inTenant(
        cardAction(people.priya, 'approve', { requestId }, ctx),
        OTHER_TENANT,
        'both',
      );
      const answer = await post(click);
      assert.match(String(answer.body?.value), /not enabled here/);
      assert.equal((await app.store.get(requestId))?.approvals.length, 0);
    });

    it('ALLOWED_CHANNEL_IDS: a channel not listed is refused, messages and clicks alike', async () => {
      await start({ ALLOWED_CHANNEL_IDS: '19:another-channel@thread.tacv2' });
      const before = connector.texts().length;
      await post(
        channelMessage(people.sam, 'user alice.johnson@contoso.com Phished', { serviceUrl }),
      );
      assert.match(await connector.waitFor(() => connector.texts()[before]), /not enabled here/);
      assert.deepEqual(await app.store.listByStatus(['pending']), []);
    });

    it('ALLOWED_CHANNEL_IDS: any thread of a listed channel is accepted', async () => {
      await start({
        ALLOWED_CHANNEL_IDS: `19:another-channel@thread.tacv2,${CHANNEL_CONVERSATION}`,
      });
      const { requestId, ctx } = await ask('bob.smith@contoso.com');
      const answer = await post(cardAction(people.priya, 'approve', { requestId }, ctx));
      assert.equal(answer.body?.type, 'application/vnd.microsoft.card.adaptive');
    });
  });

  describe('privileged targets', () => {
    it('the card asks for one more approval and says why (Carol is a User Administrator)', async () => {
      await start();
      const { requestId } = await ask('carol.nguyen@contoso.com');
      const card = JSON.stringify(
        connector
          .posted()
          .map(cardOf)
          .find((c) => c !== undefined && JSON.stringify(c).includes(requestId)),
      );
      assert.match(card, /0 of 3/);
      assert.match(card, /User Administrator/);
    });

    it('so does a role the target is only eligible for through PIM (Evan, Privileged Role Administrator)', async () => {
      await start();
      const { requestId } = await ask('evan.park@contoso.com');
      const saved = await app.store.get(requestId);
      assert.equal(saved?.requiredApprovals, 3);
      assert.deepEqual(saved?.target.privilegedRoles, ['Privileged Role Administrator (eligible)']);
      const card = JSON.stringify(
        connector
          .posted()
          .map(cardOf)
          .find((c) => c !== undefined && JSON.stringify(c).includes(requestId)),
      );
      assert.match(card, /0 of 3/);
      assert.match(card, /Privileged Role Administrator \(eligible\)/);
    });
  });

  describe('command rate limit', () => {
    it('a flood is refused politely once, then ignored; approvals on cards are never limited', async () => {
      await start({ COMMANDS_PER_MINUTE: '3' });
      const { requestId, ctx } = await ask('bob.smith@contoso.com'); // 1 of 3
      const before = connector.texts().length;
      const cardsBefore = connector.posted().filter((a) => cardOf(a)).length;
      for (let i = 0; i < 6; i++) {
        const plan = channelMessage(people.sam, 'plan user alice.johnson@contoso.com', {
          serviceUrl,
        });
        assert.equal((await post(plan)).status, 200);
      }
      await connector.waitFor(() => connector.posted().length >= before + 3 || undefined);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const replies = connector.texts().slice(before);
      const slowDowns = replies.filter((t) => /faster than I take them/.test(t));
      assert.equal(slowDowns.length, 1, `one polite refusal, then silence: ${replies.join(' | ')}`);
      const planCards = connector.posted().filter((a) => cardOf(a)).length - cardsBefore;
      assert.equal(planCards, 2, 'only the commands within the budget were answered');

      // Another person is not affected by Sam's flood, and clicks are never limited.
      for (const person of [people.priya, people.marcus]) {
        const answer = await post(cardAction(person, 'approve', { requestId }, ctx));
        assert.equal(answer.body?.type, 'application/vnd.microsoft.card.adaptive');
      }
      assert.equal((await app.store.get(requestId))?.approvals.length, 2);
    });

    it('`help` and `status` are never limited: they read nothing from the directory', async () => {
      await start({ COMMANDS_PER_MINUTE: '1' });
      const { requestId } = await ask('bob.smith@contoso.com'); // the whole budget
      const refused = connector.posted().length;
      await post(channelMessage(people.sam, 'plan user alice.johnson@contoso.com', { serviceUrl }));
      const slowDown = await connector.waitFor(() => connector.posted()[refused]);
      assert.match(String(slowDown.text), /faster than I take them/);

      const before = connector.posted().length;
      for (let i = 0; i < 4; i++) {
        await post(channelMessage(people.sam, `status ${requestId}`, { serviceUrl }));
        await post(channelMessage(people.sam, 'help', { serviceUrl }));
      }
      const answers = await connector.waitFor(() => {
        const all = connector.posted().slice(before);
        return all.length >= 8 ? all : undefined;
      });
      assert.equal(
        answers.filter((a) => String(JSON.stringify(cardOf(a))).includes(requestId)).length,
        4,
      );
      assert.equal(
        answers.filter((a) => JSON.stringify(a).includes('plan user')).length,
        4,
        'four answers to help',
      );
      assert.ok(answers.every((a) => !/faster than I take them/.test(String(a.text))));
    });

    it('an unrecognised command counts: a verb the limiter does not know is no way around it', async () => {
      await start({ COMMANDS_PER_MINUTE: '1' });
      await post(channelMessage(people.sam, '<p>dance</p>', { serviceUrl }));
      await post(channelMessage(people.sam, 'plan user alice.johnson@contoso.com', { serviceUrl }));
      const replies = await connector.waitFor(() => {
        const all = connector.texts();
        return all.length >= 2 ? all : undefined;
      });
      assert.match(replies[0] ?? '', /don't know the command/);
      assert.match(replies[1] ?? '', /faster than I take them/);
    });

    it('messages refused for their place count, so a flood from there cannot fill the audit trail', async () => {
      await start({ COMMANDS_PER_MINUTE: '2', ALLOWED_CHANNEL_IDS: '19:another@thread.tacv2' });
      for (let i = 0; i < 5; i++) {
        await post(channelMessage(people.sam, 'help', { serviceUrl }));
      }
      await connector.waitFor(() => connector.posted().length >= 3 || undefined);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const replies = connector.texts();
      assert.equal(replies.filter((t) => /not enabled here/.test(t)).length, 2, replies.join('|'));
      assert.equal(replies.filter((t) => /faster than I take them/.test(t)).length, 1);
      assert.equal(audit.ofType('access.refused').length, 2);
    });
  });

  describe('forged, replayed and stale card actions', () => {
    it('are refused, change nothing, and are recorded in the audit trail', async () => {
      await start();
      const a = await ask('bob.smith@contoso.com');
      const b = await ask('alice.johnson@contoso.com');
      const rejected = await ask('dana.obrien@contoso.com');
      assert.equal(
        (
          await post(
            cardAction(people.priya, 'reject', { requestId: rejected.requestId }, rejected.ctx),
          )
        ).body?.type,
        'application/vnd.microsoft.card.adaptive',
      );
      const priya = people.priya;
      const foreign = cardAction(priya, 'approve', { requestId: a.requestId }, a.ctx);
      (foreign.conversation as { id: string }).id = '19:other-channel@thread.tacv2;messageid=7';
      const table: [string, Record<string, unknown>, RegExp | number][] = [
        [
          'an unknown request id',
          cardAction(priya, 'approve', { requestId: 'R-ZZZZ9999' }, a.ctx),
          /no request/,
        ],
        [
          "another request's id on this card",
          cardAction(priya, 'approve', { requestId: b.requestId }, a.ctx),
          /no request|does not belong/,
        ],
        [
          'a request that is no longer pending',
          cardAction(priya, 'approve', { requestId: rejected.requestId }, rejected.ctx),
          /already rejected/,
        ],
        ['a card from another conversation', foreign, /no request .* in this conversation/],
        [
          'a tampered verb',
          cardAction(priya, 'approveAll', { requestId: a.requestId }, a.ctx),
          400,
        ],
        [
          'a tampered id (injection)',
          cardAction(priya, 'approve', { requestId: "R-1' OR 1=1" }, a.ctx),
          400,
        ],
        [
          'a tampered payload (not an object)',
          cardAction(priya, 'approve', [a.requestId], a.ctx),
          400,
        ],
        [
          'an oversized payload',
          cardAction(priya, 'approve', { requestId: a.requestId, pad: 'x'.repeat(3_000) }, a.ctx),
          400,
        ],
        [
          'a stale card activity id',
          cardAction(
            priya,
            'approve',
            { requestId: a.requestId },
            { ...a.ctx, cardActivityId: '1' },
          ),
          /does not belong/,
        ],
        [
          'act-as naming nobody in the sandbox',
          cardAction(priya, 'approve', { requestId: a.requestId, actAs: 'not-a-person' }, a.ctx),
          400,
        ],
      ];
      for (const [what, activity, expected] of table) {
        const answer = await post(activity);
        if (typeof expected === 'number') {
          assert.equal(answer.status, expected, what);
          assert.equal(answer.body?.statusCode, expected, what);
        } else {
          assert.equal(answer.status, 200, what);
          assert.match(String(answer.body?.value), expected, what);
        }
      }
      for (const id of [a.requestId, b.requestId]) {
        assert.equal((await app.store.get(id))?.approvals.length, 0, 'nothing counted');
      }
      assert.equal((await app.store.get(rejected.requestId))?.status, 'rejected');
      const refusals = audit.records.filter(
        (r) => r.type === 'action.refused' || r.type === 'access.refused',
      );
      assert.ok(refusals.length >= table.length - 1, `refusals audited: ${refusals.length}`);

      // A replayed approval counts once.
      const click = cardAction(priya, 'approve', { requestId: a.requestId }, a.ctx);
      await post(click);
      assert.match(String((await post(click)).body?.value), /already approved/);
      assert.equal((await app.store.get(a.requestId))?.approvals.length, 1);
      assert.deepEqual(await audit.verify(), {
        ok: true,
        records: audit.records.length,
        lastHash: audit.records.at(-1)?.hash,
      });
    });
  });

  describe("a click is bound to the request's own card (its activity id)", () => {
    it('a plain request: a click without the activity id, or with a wrong one, is refused and audited', async () => {
      await start();
      const { requestId, ctx } = await ask('bob.smith@contoso.com');
      const { cardActivityId: _cardId, ...withoutCard } = ctx;
      const forged: [string, Record<string, unknown>][] = [
        [
          'approve, no activity id',
          cardAction(people.priya, 'approve', { requestId }, withoutCard),
        ],
        ['reject, no activity id', cardAction(people.priya, 'reject', { requestId }, withoutCard)],
        [
          'approve, wrong activity id',
          cardAction(people.priya, 'approve', { requestId }, { ...ctx, cardActivityId: 'x1' }),
        ],
        [
          'reject, wrong activity id',
          cardAction(people.marcus, 'reject', { requestId }, { ...ctx, cardActivityId: 'x2' }),
        ],
      ];
      for (const [what, click] of forged) {
        const answer = await post(click);
        assert.equal(answer.status, 200, what);
        assert.match(String(answer.body?.value), /does not belong/, what);
      }
      const saved = await app.store.get(requestId);
      assert.equal(saved?.status, 'pending');
      assert.equal(saved?.approvals.length, 0);
      const refused = audit
        .ofType('access.refused')
        .filter((r) => r.details['reason'] === 'not the card of that request');
      assert.equal(refused.length, forged.length);
      // The same click from the card itself counts.
      const real = await post(cardAction(people.priya, 'approve', { requestId }, ctx));
      assert.equal(real.body?.type, 'application/vnd.microsoft.card.adaptive');
      assert.equal((await app.store.get(requestId))?.approvals.length, 1);
    });
  });

  describe('two clicks in the same millisecond', () => {
    async function finished(requestId: string) {
      return waitUntil(async () => {
        const request = await app.store.get(requestId);
        return request && request.status.startsWith('completed') ? request : undefined;
      });
    }

    async function waitUntil<T>(probe: () => Promise<T | undefined>): Promise<T> {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const found = await probe();
        if (found !== undefined) return found;
        if (Date.now() > deadline) throw new Error('timed out');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }

    it('two approvers at once: both approvals recorded, exactly one run (one disable call)', async () => {
      await start();
      const { requestId, ctx } = await ask('bob.smith@contoso.com');
      const clicks = [people.priya, people.marcus].map((p) =>
        JSON.stringify(cardAction(p, 'approve', { requestId }, ctx)),
      );
      const answers = await Promise.all(
        clicks.map((body) =>
          fetch(`${baseUrl}/api/messages`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
          }).then((r) => r.json() as Promise<Answer['body']>),
        ),
      );
      assert.deepEqual(
        answers.map((b) => b?.type),
        ['application/vnd.microsoft.card.adaptive', 'application/vnd.microsoft.card.adaptive'],
      );
      const done = await finished(requestId);
      assert.equal(done.approvals.length, 2);
      const disables =
        app.sandbox?.behaviour.calls.filter((c) => c.operation === 'disableUser') ?? [];
      assert.equal(disables.length, 1, 'one run, one disable');
      assert.equal(audit.ofType('request.approved').length, 1);
    });

    it('the same approver clicking twice at once counts once', async () => {
      await start();
      const { requestId, ctx } = await ask('bob.smith@contoso.com');
      const body = JSON.stringify(cardAction(people.priya, 'approve', { requestId }, ctx));
      await Promise.all(
        [body, body].map((b) =>
          fetch(`${baseUrl}/api/messages`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: b,
          }).then((r) => r.text()),
        ),
      );
      const saved = await app.store.get(requestId);
      assert.equal(saved?.approvals.length, 1);
      assert.equal(saved?.status, 'pending');
      assert.equal(audit.ofType('approval.recorded').length, 1);
    });
  });
});
