// Mass revocation as Teams drives it: `users …` posted to /api/messages (typed or as a CSV file),
// the one batch card at the connector stand-in, approvals and forged clicks as invoke activities,
// the coalesced progress card and the final summary. The real app in sandbox mode, on a generated
// tenant of 60 extra users.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Person } from '../../../src/core/model';
import { approverCallOf, cardOf } from '../../support/connector-standin';
import { startSandboxApp, type Posted, type SandboxApp } from '../../support/sandbox-app';
import { cardAction, channelMessage, fileAttachment } from '../../support/activities';
import { massTenant } from '../../support/mass-tenant';
import { cardActions, cardText as texts } from '../../support/card-text';

const USERS = 60;

/** The verbs of the card's buttons (its ShowCard has none). */
function verbs(card: Record<string, unknown> | undefined): string[] {
  return cardActions(card)
    .map((a) => a.verb)
    .filter((verb) => verb !== '');
}

/** The value of a FactSet fact on the card, by its title. */
function fact(card: unknown, title: string): string | undefined {
  let found: string | undefined;
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (record['title'] === title && typeof record['value'] === 'string' && found === undefined)
        found = record['value'];
      Object.values(record).forEach(walk);
    }
  };
  walk(card);
  return found;
}

/** The message an invoke answered with (shown to the clicker only), or undefined for a card. */
function refusalOf(answer: Posted): string | undefined {
  const body = answer.body as { type?: string; value?: unknown };
  return body.type === 'application/vnd.microsoft.activity.message'
    ? String(body.value)
    : undefined;
}

function isCardAnswer(answer: Posted): boolean {
  return (answer.body as { type?: string }).type === 'application/vnd.microsoft.card.adaptive';
}

describe('mass revocation through /api/messages (sandbox tenant, 60 generated users)', function () {
  this.timeout(60_000);
  let dir: string;
  let tenantFile: string;
  let upns: string[];
  let sandbox: SandboxApp;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'revoke-batch-http-'));
    tenantFile = join(dir, 'tenant.json');
    const tenant = massTenant(USERS);
    upns = tenant.upns;
    writeFileSync(tenantFile, JSON.stringify(tenant.document));
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  beforeEach(async () => {
    // 2 s is the shortest progress interval the configuration allows.
    sandbox = await startSandboxApp({ SANDBOX_DATA: tenantFile, BATCH_PROGRESS_SECONDS: '2' });
  });

  afterEach(() => sandbox.stop());

  function person(upn: string): Person {
    return sandbox.person(upn);
  }

  /** Posts `users …` (with attachments, if any) and waits for the batch card. */
  async function askForBatch(text: string, attachments?: Record<string, unknown>[]) {
    const { connector, serviceUrl } = sandbox;
    const message = channelMessage(person('sam.rivera@contoso.com'), text, { serviceUrl });
    if (attachments) message['attachments'] = attachments;
    const before = connector.posted().length;
    const response = await sandbox.post(message);
    assert.equal(response.status, 200);
    const posted = await connector.waitFor(() =>
      connector
        .posted()
        .slice(before)
        .find((a) => cardOf(a)),
    );
    const card = cardOf(posted) as Record<string, unknown>;
    const actions = (card.actions ?? []) as { verb?: string; data?: { batchId?: string } }[];
    const batchId = actions.find((a) => a.verb === 'batchApprove')?.data?.batchId;
    assert.ok(batchId, texts(card));
    const ctx = { serviceUrl, threadId: String(message.id), cardActivityId: String(posted.id) };
    return { card, batchId, ctx, message };
  }

  /** Sends a message in the channel and waits for the bot's answer in the thread. */
  async function say(text: string, attachments?: Record<string, unknown>[]) {
    const { connector, serviceUrl } = sandbox;
    const before = connector.posted().length;
    const message = channelMessage(person('sam.rivera@contoso.com'), text, { serviceUrl });
    if (attachments) message['attachments'] = attachments;
    assert.equal((await sandbox.post(message)).status, 200);
    return connector.waitFor(() => connector.posted()[before]);
  }

  it('one card for the whole list, the two-person rule, a coalesced progress card and a final summary', async () => {
    const { connector, app } = sandbox;
    const behaviour = app.sandbox?.behaviour;
    assert.ok(behaviour);
    // User 1 ends partially revoked (the Entra disable is refused); user 2 not at all.
    const hex = (i: number) => i.toString(16).padStart(12, '0');
    const userId = (i: number) => `aaaaaaaa-0000-4000-8000-${hex(i)}`;
    behaviour.failAlways('disableUser', 'permission', { subject: userId(1) });
    for (const op of [
      'disableUser',
      'revokeSignInSessions',
      'resetSessions',
      'setActive',
    ] as const) {
      behaviour.failAlways(op, 'permission', { subject: userId(2) });
    }
    // And Google Workspace too, so nothing at all is revoked for user 2.
    for (const op of ['google.signOut', 'google.setSuspended'] as const) {
      behaviour.failAlways(op, 'permission', { subject: 'mass.user2@contoso.com' });
    }
    behaviour.failAlways('getDevice', 'permission', {
      subject: `dddddddd-0000-4000-8000-${hex(2)}`,
    });

    // Priya is an approver but also on the list: she may not approve her own revocation.
    const listed = [...upns, 'priya.patel@contoso.com', upns[5], 'not-an-address'];
    const { card, batchId, ctx } = await askForBatch(
      `users ${listed.join(' ')} nobody@contoso.com breakglass01@contoso.onmicrosoft.com Phishing wave`,
    );
    const members = USERS + 1;

    // The approvers are called by @mention in the card's message; members of the batch are not.
    const [posted, ...more] = connector.posted();
    assert.equal(more.length, 0, 'one message: the call and the card');
    const call = approverCallOf(posted);
    assert.match(
      String(call?.text),
      new RegExp(
        `^<at>Marcus Chen</at>, <at>Jordan Lee</at>: Sam Rivera asks to revoke all access of ${members} users at once`,
      ),
    );
    const mentioned = (call?.entities as { mentioned: { id: string } }[]).map(
      (e) => e.mentioned.id,
    );
    assert.deepEqual(mentioned, [
      person('marcus.chen@contoso.com').channelAccountId,
      person('jordan.lee@contoso.com').channelAccountId,
    ]);

    const first = texts(card);
    for (const expected of [
      `Mass revocation ${batchId}`,
      'Sam Rivera',
      'Phishing wave',
      '0 of 2',
      'Mass User 0 (mass.user0@contoso.com)',
      'Not found (1): nobody@contoso.com',
      'Protected, never revoked (1): breakglass01@contoso.onmicrosoft.com',
      'Not addresses (1): not-an-address',
      `All ${members} users`,
      'Nobody in the batch may approve it',
    ]) {
      assert.ok(first.includes(expected), `the batch card shows "${expected}": ${first}`);
    }
    assert.equal(fact(card, 'Users'), String(members));
    assert.equal(fact(card, 'Devices'), String(USERS));
    assert.deepEqual(verbs(card), ['batchApprove', 'batchReject']);
    assert.equal(connector.posted().filter((a) => cardOf(a)).length, 1, 'one card, not 61');

    // A click that does not come from the batch's own card (no activity id, or another one) is
    // refused even from an approver.
    const { cardActivityId: _cardId, ...noCard } = ctx;
    for (const forged of [noCard, { ...ctx, cardActivityId: 'another-card' }]) {
      const answer = await sandbox.post(
        cardAction(person('marcus.chen@contoso.com'), 'batchApprove', { batchId }, forged),
      );
      assert.match(refusalOf(answer) ?? '', /does not belong to that batch/);
    }
    assert.equal((await sandbox.app.batches.getBatch(batchId))?.approvals.length, 0);

    // The requester and a member of the batch are refused; nothing changes.
    const self = await sandbox.post(
      cardAction(person('sam.rivera@contoso.com'), 'batchApprove', { batchId }, ctx),
    );
    assert.match(refusalOf(self) ?? '', /cannot approve/);
    const member = await sandbox.post(
      cardAction(person('priya.patel@contoso.com'), 'batchApprove', { batchId }, ctx),
    );
    assert.match(refusalOf(member) ?? '', /one of the people whose access this batch revokes/);
    const generated = await sandbox.post(
      cardAction(person('mass.user7@contoso.com'), 'batchReject', { batchId }, ctx),
    );
    assert.match(refusalOf(generated) ?? '', /one of the people whose access this batch revokes/);
    const outsider = await sandbox.post(
      cardAction(person('elena.garcia@contoso.com'), 'batchApprove', { batchId }, ctx),
    );
    assert.match(refusalOf(outsider) ?? '', /approver group/);
    assert.equal(connector.calls.filter((c) => c.method === 'PUT').length, 0);

    const one = await sandbox.post(
      cardAction(person('marcus.chen@contoso.com'), 'batchApprove', { batchId }, ctx),
    );
    assert.ok(isCardAnswer(one), JSON.stringify(one.body));
    assert.ok(texts((one.body as { value: unknown }).value).includes('1 of 2 (Marcus Chen)'));
    const twice = await sandbox.post(
      cardAction(person('marcus.chen@contoso.com'), 'batchApprove', { batchId }, ctx),
    );
    assert.match(refusalOf(twice) ?? '', /already approved/);
    const started = Date.now();
    const two = await sandbox.post(
      cardAction(person('jordan.lee@contoso.com'), 'batchApprove', { batchId }, ctx),
    );
    assert.ok(isCardAnswer(two), JSON.stringify(two.body));

    const final = await connector.waitFor(() => {
      const last = connector.cardVersions(ctx.cardActivityId).at(-1);
      return last && texts(last).includes('Finished with failures') ? last : undefined;
    }, 30_000);
    const elapsedMs = Date.now() - started;

    // Everyone accounted for.
    const [fully, partially, notAtAll] = ['Fully revoked', 'Partially', 'Not at all'].map((t) =>
      Number(fact(final, t)),
    );
    assert.deepEqual([fully, partially, notAtAll], [members - 2, 1, 1]);
    assert.equal(Number(fact(final, 'In progress')), 0);
    const failed = texts(final);
    assert.ok(failed.includes('mass.user1@contoso.com (1 of'), failed);
    assert.ok(failed.includes('mass.user2@contoso.com (not revoked)'), failed);
    assert.deepEqual(verbs(final), ['batchRetry']);

    // One card, edited in place and coalesced: a few edits, not one per child step.
    const puts = connector.calls.filter((c) => c.method === 'PUT');
    assert.ok(puts.length >= 1);
    assert.ok(
      puts.every((c) => c.activityId === ctx.cardActivityId),
      'only the batch card is edited',
    );
    const bound = Math.ceil(elapsedMs / 2_000) + 3;
    assert.ok(puts.length <= bound, `${puts.length} card edits in ${elapsedMs} ms`);
    assert.equal(connector.posted().filter((a) => cardOf(a)).length, 1, 'no per-user cards');

    // A few thread messages for the batch, none per user.
    const said = await connector.waitFor(() => {
      const all = connector.texts();
      return all.some((t) => t.includes('finished:')) ? all : undefined;
    });
    assert.ok(
      said.some((t) =>
        t.includes(
          `Approved by Marcus Chen and Jordan Lee. Revoking all access of ${members} users now (${batchId}).`,
        ),
      ),
    );
    assert.ok(
      said.some((t) => t.includes(`${members - 2} fully revoked, 1 partially, 1 not at all`)),
      said.join('\n'),
    );
    assert.ok(said.length <= 4, said.join('\n'));

    // The directory really changed, and the two failures are where the card says.
    const directory = app.sandbox?.directory;
    assert.equal((await directory?.findUser('mass.user0@contoso.com'))?.accountEnabled, false);
    assert.equal((await directory?.findUser(upns[USERS - 1] ?? ''))?.accountEnabled, false);
    assert.equal((await directory?.findUser('priya.patel@contoso.com'))?.accountEnabled, false);
    assert.equal((await directory?.findUser('mass.user1@contoso.com'))?.accountEnabled, true);
  });

  it('refuses forged batch clicks: unknown id, malformed id, another card, another conversation', async () => {
    const { connector } = sandbox;
    const { batchId, ctx } = await askForBatch(`users ${upns.slice(0, 3).join(' ')} Phishing wave`);
    const marcus = person('marcus.chen@contoso.com');

    const unknown = await sandbox.post(
      cardAction(marcus, 'batchApprove', { batchId: 'B-00000000' }, ctx),
    );
    assert.equal(refusalOf(unknown), 'There is no batch B-00000000 in this conversation.');

    const malformed = await sandbox.post(
      cardAction(marcus, 'batchApprove', { batchId: 'R-00000000' }, ctx),
    );
    assert.deepEqual(malformed.body, {
      statusCode: 400,
      type: 'application/vnd.microsoft.error',
      value: { code: 'BadRequest', message: 'The action names no valid batch.' },
    });

    // The right batch id on another card (a `status` copy, or a card the sender made up).
    const otherCard = await sandbox.post(
      cardAction(marcus, 'batchApprove', { batchId }, { ...ctx, cardActivityId: '999999' }),
    );
    assert.match(refusalOf(otherCard) ?? '', /does not belong to that batch/);

    const elsewhere = cardAction(marcus, 'batchApprove', { batchId }, ctx);
    elsewhere['conversation'] = {
      ...(elsewhere['conversation'] as Record<string, unknown>),
      id: `19:other-channel@thread.tacv2;messageid=${ctx.threadId}`,
    };
    assert.equal(
      refusalOf(await sandbox.post(elsewhere)),
      `There is no batch ${batchId} in this conversation.`,
    );

    // Acting as someone else is for the sandbox's own demo people, and still bound to the rules.
    const actAs = await sandbox.post(
      cardAction(
        marcus,
        'batchApprove',
        { batchId, actAs: person('sam.rivera@contoso.com').id },
        ctx,
      ),
    );
    assert.match(refusalOf(actAs) ?? '', /cannot approve/);

    assert.equal(connector.calls.filter((c) => c.method === 'PUT').length, 0);
    const batch = await sandbox.app.batches.getBatch(batchId);
    assert.equal(batch?.status, 'pending');
    assert.equal(batch?.approvals.length, 0);
  });

  it('takes the list from an attached CSV file', async () => {
    const { connector } = sandbox;
    const rows = ['userPrincipalName,displayName', ...upns.slice(0, 20).map((u) => `${u},x`)];
    rows.push(`${upns[3]},again`, '# a comment', 'bogus-entry,y', '');
    const url = connector.offerFile('users.csv', `\ufeff${rows.join('\r\n')}`);
    const { card } = await askForBatch('users Phishing wave from the CSV', [
      fileAttachment('users.csv', url),
    ]);
    assert.deepEqual(connector.fileDownloads, ['users.csv']);
    assert.equal(fact(card, 'Users'), '20');
    const shown = texts(card);
    assert.ok(shown.includes('Phishing wave from the CSV'), shown);
    assert.ok(shown.includes('Not addresses (1): bogus-entry'), shown);
    assert.ok(shown.includes('Mass User 19') || shown.includes('mass.user19@contoso.com'), shown);
  });

  it('refuses a CSV that is too large, missing, not on HTTPS, or one of several', async () => {
    const { connector } = sandbox;
    const huge = `${'someone.with.a.long.name@contoso.com\n'.repeat(8_000)}`;
    const cases: [Record<string, unknown>[], RegExp][] = [
      [[fileAttachment('huge.csv', connector.offerFile('huge.csv', huge))], /larger than 256 KiB/],
      [
        [fileAttachment('gone.csv', connector.offerFile('gone.csv', '', { status: 404 }))],
        /could not be downloaded \(HTTP 404\)/,
      ],
      [
        [fileAttachment('plain.csv', 'http://files.contoso.example/plain.csv')],
        /not offered over HTTPS/,
      ],
      [
        [
          fileAttachment('a.csv', connector.offerFile('a.csv', upns[0] ?? '')),
          fileAttachment('b.csv', connector.offerFile('b.csv', upns[1] ?? '')),
        ],
        /Attach one CSV file at most/,
      ],
    ];
    for (const [attachments, expected] of cases) {
      const answer = await say('users Phishing wave', attachments);
      assert.match(String(answer.text), expected);
      assert.ok(!String(answer.text).includes('127.0.0.1'), 'the URL is never repeated');
    }
    assert.equal(connector.posted().filter((a) => cardOf(a)).length, 0, 'no batch was asked for');
    // Only what was offered over loopback HTTP was fetched; the plain-HTTP host never was.
    assert.deepEqual(connector.fileDownloads, ['huge.csv', 'gone.csv']);
  });

  it('lists `users` in help and shows a batch with `status B-…` as a read-only copy', async () => {
    const help = texts(cardOf(await say('help')));
    assert.ok(help.includes('users <upn> <upn> … <reason>'), help);
    assert.ok(help.includes('status <batch-id>'), help);

    const { batchId } = await askForBatch(`users ${upns.slice(0, 4).join(' ')} Phishing wave`);
    const copy = await say(`status ${batchId.toLowerCase()}`);
    const card = cardOf(copy);
    assert.ok(card, JSON.stringify(copy));
    assert.ok(texts(card).includes(`Mass revocation ${batchId}`));
    assert.equal(fact(card, 'Users'), '4');
    assert.deepEqual(verbs(card), [], 'the copy has no buttons');

    const missing = await say('status B-00000000');
    assert.equal(missing.text, 'There is no batch B-00000000 in this conversation.');
  });
});
