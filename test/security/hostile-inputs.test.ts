// Every case of the hostile corpus (hostile-inputs.ts) through /api/messages of one running app
// (sandbox tenant, SQLite file, connector stand-in). For each: the server still answers, the
// sender gets a clear answer, nothing is written to a directory, garbage creates no request, and
// whatever user text reaches a card or the thread cannot turn into a live link or markup.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sinon from 'sinon';
import { buildApp, type RevokeApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import type { Person, RevocationRequest } from '../../src/core/model';
import { silentLogger } from '../../src/log';
import { projectRoot } from '../../src/project-root';
import { cardAction, channelMessage } from '../support/activities';
import { ConnectorStandin, cardOf, type ConnectorCall } from '../support/connector-standin';
import {
  COMMAND_CASES,
  HTTP_CASES,
  INVOKE_CASES,
  OTHER_ACTIVITY_TYPES,
  REQUEST_ID,
  type CommandCase,
} from './hostile-inputs';

const WRITES = new Set([
  'disableUser',
  'revokeSignInSessions',
  'disableDevice',
  'disableAccount',
  'resetPasswordToRandom',
]);

/** What a card's buttons may carry: ids and a version, never text from the message. */
const BOUND_KEYS = ['requestId', 'cardVersion', 'actAs'];

interface Answer {
  status: number;
  body: unknown;
}

/**
 * Markup that would be live if Teams parsed it: links, images, autolinks, HTML tags, emphasis,
 * block starts. Applied to every string a card shows through Markdown and to every thread reply.
 */
const LIVE_MARKUP: [string, RegExp][] = [
  ['markdown link or image', /\]\(/],
  ['reference link', /\]\[/],
  ['HTML tag or autolink', /<[a-z/!?]/i],
  ['bold', /\*\*|__\S/],
  ['block start', /(^|\n)\s*(#{1,6}\s|>\s|[-+*]\s|\d+[.)]\s|```)/],
];

function liveMarkupIn(text: string): string | undefined {
  // Code spans are shown literally (the usage text puts `<upn-or-email>` in one).
  // Mentions are the bot's own markup (names from the directory, with mention entities).
  const outsideCode = text.replace(/`[^`\n]*`/g, '').replace(/<at>[^<]*<\/at>/g, '');
  return LIVE_MARKUP.find(([, pattern]) => pattern.test(outsideCode))?.[0];
}

/** Strings of a card that a Markdown renderer sees (TextRuns are never parsed as Markdown). */
function markdownStrings(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) markdownStrings(item, out);
  else if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    if (record['type'] === 'TextRun') return out;
    for (const [key, value] of Object.entries(record)) {
      if ((key === 'text' || key === 'title' || key === 'value') && typeof value === 'string')
        out.push(value);
      else markdownStrings(value, out);
    }
  }
  return out;
}

function allStrings(node: unknown, out: string[] = []): string[] {
  if (typeof node === 'string') out.push(node);
  else if (Array.isArray(node)) for (const item of node) allStrings(item, out);
  else if (node && typeof node === 'object')
    for (const v of Object.values(node)) allStrings(v, out);
  return out;
}

describe('hostile input through /api/messages: no crash, a clear answer, no write, inert text', function () {
  this.timeout(30_000);
  let dir: string;
  let connector: ConnectorStandin;
  let serviceUrl: string;
  let app: RevokeApp;
  let baseUrl: string;
  let sam: Person;
  let priya: Person;
  /** A real pending request that every forged click aims at. */
  let victim: { id: string; threadId: string; cardActivityId: string };

  before(async () => {
    // botbuilder prints refused and failed turns to the console; the assertions are what count.
    sinon.stub(console, 'error');
    dir = mkdtempSync(join(tmpdir(), 'revoke-hostile-'));
    connector = new ConnectorStandin();
    serviceUrl = await connector.start();
    const config = loadConfig(
      {
        DATABASE_URL: `sqlite:${join(dir, 'revoke.db')}`,
        SANDBOX_LATENCY_MS: '0',
        COMMANDS_PER_MINUTE: '600',
      },
      projectRoot(),
    );
    app = await buildApp(config, { logger: silentLogger });
    baseUrl = await app.start(0, '127.0.0.1');
    const byUpn = (upn: string): Person => {
      const person = app.sandbox?.people.find((p) => p.upn === upn);
      assert.ok(person, upn);
      return person;
    };
    sam = byUpn('sam.rivera@contoso.com');
    priya = byUpn('priya.patel@contoso.com');

    const message = channelMessage(sam, 'user bob.smith@contoso.com Token theft', { serviceUrl });
    await postJson(message);
    const [request] = await app.store.listByStatus(['pending']);
    assert.ok(request);
    victim = {
      id: request.id,
      threadId: String(message.id),
      cardActivityId: request.card.cardActivityId ?? '',
    };
  });

  after(async () => {
    sinon.restore();
    await app.stop();
    await connector.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function send(body: string | Buffer, contentType?: string): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (contentType !== undefined) headers['content-type'] = contentType;
    const response = await fetch(`${baseUrl}/api/messages`, { method: 'POST', headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? (JSON.parse(text) as unknown) : undefined;
    } catch {
      // Not JSON: keep the text.
    }
    return { status: response.status, body: parsed };
  }

  const postJson = (activity: unknown) => send(JSON.stringify(activity), 'application/json');

  async function assertStillServing(what: string): Promise<void> {
    const response = await fetch(`${baseUrl}/healthz`);
    assert.equal(response.status, 200, `${what}: the server still answers`);
  }

  function writes(): string[] {
    return (app.sandbox?.behaviour.calls ?? [])
      .filter((c) => WRITES.has(c.operation))
      .map((c) => `${c.operation}(${c.subject ?? ''})`);
  }

  async function pending(): Promise<RevocationRequest[]> {
    return app.store.listByStatus(['pending']);
  }

  function repliesSince(before: number, threadId: string): ConnectorCall[] {
    return connector.calls
      .slice(before)
      .filter((c) => c.conversationId.endsWith(`messageid=${threadId}`));
  }

  /** What a command case must leave behind; returns the request it made, if any. */
  async function runCommand(c: CommandCase): Promise<void> {
    const before = connector.calls.length;
    const pendingBefore = (await pending()).map((r) => r.id);
    const message = channelMessage(sam, c.text, { serviceUrl });
    const answer = await postJson(message);
    assert.equal(answer.status, 200, `${c.name}: HTTP ${answer.status}`);
    await assertStillServing(c.name);

    const replies = repliesSince(before, String(message.id));
    assert.ok(replies.length >= 1, `${c.name}: the sender got an answer in the thread`);
    for (const reply of replies) {
      const text = typeof reply.activity.text === 'string' ? reply.activity.text : '';
      assert.equal(liveMarkupIn(text), undefined, `${c.name}: live markup in the reply: ${text}`);
      const card = cardOf(reply.activity);
      for (const shown of markdownStrings(card)) {
        const live = liveMarkupIn(shown);
        assert.equal(live, undefined, `${c.name}: ${live} on the card: ${shown}`);
      }
    }

    const created = (await pending()).filter((r) => !pendingBefore.includes(r.id));
    if (c.expect.kind === 'refused') {
      assert.deepEqual(
        created.map((r) => r.target.userPrincipalName),
        [],
        `${c.name}: no request from garbage`,
      );
      // An empty message is `help`, answered with the help card; no other card may come.
      assert.ok(
        replies.every((r) => !cardOf(r.activity) || isHelpCard(cardOf(r.activity))),
        `${c.name}: a refusal is a reply, not a card`,
      );
      return;
    }
    assert.deepEqual(
      created.map((r) => r.target.userPrincipalName),
      [c.expect.target],
      `${c.name}: one request, for exactly ${c.expect.target}; the bot said: ${replies
        .map((r) => String(r.activity.text ?? '[card]'))
        .join(' / ')}`,
    );
    const request = created[0] as RevocationRequest;
    const card = replies.map((r) => cardOf(r.activity)).find((x) => x !== undefined);
    assert.ok(card, `${c.name}: the request card was posted`);
    for (const act of (card['actions'] ?? []) as { data?: unknown }[]) {
      // Buttons carry the request id and nothing from the message.
      const keys = Object.keys(act.data ?? {}).filter((k) => !BOUND_KEYS.includes(k));
      assert.deepEqual(keys, [], `${c.name}: action data`);
    }
    if (c.literal !== undefined) {
      assert.ok(
        allStrings(card).some((s) => s.includes(c.literal ?? '')),
        `${c.name}: the text is shown as written, not evaluated`,
      );
    }
    // Close it, so the next case for the same user is a fresh request.
    const rejected = await app.service.handleCardAction('reject', request.id, priya, {
      cardActivityId: request.card.cardActivityId,
    });
    assert.ok(rejected.accepted, `${c.name}: rejected afterwards`);
  }

  it(`${COMMAND_CASES.length} hostile commands`, async () => {
    const names = new Set<string>();
    for (const c of COMMAND_CASES) {
      assert.ok(!names.has(c.name), `duplicate case name ${c.name}`);
      names.add(c.name);
      await runCommand(c);
    }
    assert.deepEqual(writes(), [], 'no directory write');
  });

  it(`${INVOKE_CASES.length} forged card actions`, async () => {
    for (const c of INVOKE_CASES) {
      const activity = cardAction(
        priya,
        'approve',
        {},
        {
          serviceUrl,
          threadId: victim.threadId,
          cardActivityId: victim.cardActivityId,
        },
      );
      activity['value'] = c.value;
      if (c.invokeName !== undefined) activity['name'] = c.invokeName;
      const body = JSON.stringify(activity).replaceAll(REQUEST_ID, victim.id);
      const answer = await send(body, 'application/json');
      await assertStillServing(c.name);
      const invoke = answer.body as { statusCode?: number; type?: string; value?: unknown };
      if (answer.status === 200 && invoke?.type === 'application/vnd.microsoft.error') {
        assert.ok((invoke.statusCode ?? 0) >= 400 && (invoke.statusCode ?? 0) < 500, c.name);
        const value = invoke.value as { code?: unknown; message?: unknown };
        assert.equal(typeof value.code, 'string', `${c.name}: error code`);
        assert.equal(typeof value.message, 'string', `${c.name}: error message`);
      } else if (
        answer.status === 200 &&
        invoke?.type === 'application/vnd.microsoft.activity.message'
      ) {
        assert.equal(typeof invoke.value, 'string', `${c.name}: message`);
        assert.match(String(invoke.value), /There is no request|not enabled|sandbox/, c.name);
      } else {
        // botbuilder's own refusal of an invoke it has no handler for, or a malformed one.
        assert.ok(
          [400, 404, 501].includes(answer.status),
          `${c.name}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`,
        );
      }
    }
    const request = await app.store.get(victim.id);
    assert.equal(request?.status, 'pending', 'the attacked request is untouched');
    assert.deepEqual(request?.approvals, [], 'no approval was recorded');
    assert.deepEqual(writes(), [], 'no directory write');
  });

  it(`${HTTP_CASES.length} malformed HTTP requests and ${OTHER_ACTIVITY_TYPES.length} other activity types`, async () => {
    const pendingBefore = (await pending()).length;
    for (const c of HTTP_CASES) {
      const answer = await send(c.body, c.contentType);
      assert.ok(
        answer.status >= 400 && answer.status < 500,
        `${c.name}: a 4xx, not ${answer.status}`,
      );
      await assertStillServing(c.name);
    }
    for (const type of OTHER_ACTIVITY_TYPES) {
      const activity = channelMessage(sam, 'user alice.johnson@contoso.com Phished', {
        serviceUrl,
      });
      activity['type'] = type;
      const answer = await postJson(activity);
      assert.ok([200, 400, 501].includes(answer.status), `${type}: HTTP ${answer.status}`);
      await assertStillServing(type);
    }
    assert.equal((await pending()).length, pendingBefore, 'no request created');
    assert.deepEqual(writes(), [], 'no directory write');
  });
});

function isHelpCard(card: Record<string, unknown> | undefined): boolean {
  const [title] = (card?.['body'] ?? []) as { text?: unknown }[];
  return title?.text === 'Revoke: what you can ask' && !('actions' in (card ?? {}));
}
