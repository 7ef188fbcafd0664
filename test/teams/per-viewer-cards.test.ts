// Per-person views of the request card (Universal Actions `refresh`), the @mention that notifies
// approvers, and the sandbox-only "act as": offered and honoured in the sandbox, refused with a
// real tenant.
import { strict as assert } from 'node:assert';
import { buildApp, type RevokeApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { projectRoot } from '../../src/project-root';
import type { Person } from '../../src/core/model';
import { approverCallOf, ConnectorStandin, cardOf } from '../support/connector-standin';
import { postActivity, startSandboxApp, type SandboxApp } from '../support/sandbox-app';
import { cardAction, channelMessage, TENANT_ID } from '../support/activities';
import { captureLogger } from '../support/capture-logger';
import { testAuditKeyText } from '../support/memory-audit-log';

interface InvokeAnswer {
  statusCode: number;
  type: string;
  value: unknown;
}

async function post(baseUrl: string, activity: unknown): Promise<InvokeAnswer> {
  return ((await postActivity(baseUrl, activity)).body ?? {}) as InvokeAnswer;
}

function texts(card: unknown): string {
  return JSON.stringify(card);
}

function topVerbs(card: unknown): string[] {
  const actions = ((card as { actions?: { verb?: string; type?: string }[] }).actions ?? []).filter(
    (a) => a.type === 'Action.Execute',
  );
  return actions.map((a) => a.verb ?? '');
}

function refresh(trigger: 'automatic' | 'manual', activity: Record<string, unknown>) {
  (activity.value as { trigger: string }).trigger = trigger;
  return activity;
}

describe('per-person request cards and the sandbox "act as"', function () {
  this.timeout(20_000);
  let sandbox: SandboxApp;
  let connector: ConnectorStandin;
  let serviceUrl: string;
  let app: RevokeApp;
  let baseUrl: string;
  let people: Record<'sam' | 'priya' | 'marcus' | 'jordan' | 'elena', Person>;

  beforeEach(async () => {
    sandbox = await startSandboxApp();
    ({ app, connector, serviceUrl, baseUrl } = sandbox);
    people = {
      sam: sandbox.person('sam.rivera@contoso.com'),
      priya: sandbox.person('priya.patel@contoso.com'),
      marcus: sandbox.person('marcus.chen@contoso.com'),
      jordan: sandbox.person('jordan.lee@contoso.com'),
      elena: sandbox.person('elena.garcia@contoso.com'),
    };
  });

  afterEach(() => sandbox.stop());

  async function ask() {
    const message = channelMessage(people.sam, 'user alice.johnson@contoso.com Phished', {
      serviceUrl,
    });
    await post(baseUrl, message);
    const posted = await connector.waitFor(() =>
      connector.calls.find((c) => c.method === 'POST' && cardOf(c.activity)),
    );
    const card = cardOf(posted.activity) as Record<string, unknown>;
    const requestId = (card.refresh as { action: { data: { requestId: string } } }).action.data
      .requestId;
    const ctx = {
      serviceUrl,
      threadId: String(message.id),
      cardActivityId: String(posted.activity.id),
    };
    return { card, requestId, ctx, posted };
  }

  it('@mentions the approvers in the message that carries the card, and names them and the requester for refresh', async () => {
    const { card } = await ask();
    const posts = connector.posted();
    assert.equal(posts.length, 1, 'one message: the call and the card');
    const call = approverCallOf(posts[0]) as {
      text: string;
      entities?: { mentioned: { id: string } }[];
    };
    assert.match(
      String(call.text),
      /^<at>Priya Patel<\/at>, <at>Marcus Chen<\/at>, <at>Jordan Lee<\/at>: Sam Rivera asks to revoke all access of Alice Johnson\. 2 approvals are needed/,
    );
    assert.deepEqual(
      call.entities?.map((e) => e.mentioned.id),
      [people.priya, people.marcus, people.jordan].map((p) => p.channelAccountId),
    );
    assert.ok(cardOf(posts[0] as Record<string, unknown>), 'the card is in the same message');

    const block = card.refresh as { action: { verb: string }; userIds: string[] };
    assert.equal(block.action.verb, 'refresh');
    assert.deepEqual(
      block.userIds,
      [people.sam, people.priya, people.marcus, people.jordan].map((p) => p.channelAccountId),
    );
  });

  it('answers refresh with the view of whoever asks: approver, requester, anyone else', async () => {
    const { requestId, ctx } = await ask();
    const priya = await post(
      baseUrl,
      refresh('automatic', cardAction(people.priya, 'refresh', { requestId }, ctx)),
    );
    assert.equal(priya.type, 'application/vnd.microsoft.card.adaptive');
    assert.deepEqual(topVerbs(priya.value), ['approve', 'reject']);

    const sam = await post(
      baseUrl,
      refresh('automatic', cardAction(people.sam, 'refresh', { requestId }, ctx)),
    );
    assert.deepEqual(topVerbs(sam.value), [], 'the requester cannot approve: no buttons');
    assert.match(texts(sam.value), /Waiting for 2 approvers/);

    const elena = await post(
      baseUrl,
      refresh('manual', cardAction(people.elena, 'refresh', { requestId }, ctx)),
    );
    assert.deepEqual(topVerbs(elena.value), [], 'read-only for everyone else');
    assert.ok((elena.value as { refresh?: unknown }).refresh, 'the view keeps refreshing');
  });

  it('in the sandbox, offers "act as" on the card and applies every rule to the person acted as', async () => {
    const { card, requestId, ctx } = await ask();
    assert.match(texts(card), /Sandbox: act as/);
    assert.match(texts(card), /Approve as Priya Patel/);
    assert.ok(!texts(card).includes('Approve as Alice Johnson'), 'the target is not offered');

    const asSam = await post(
      baseUrl,
      cardAction(people.elena, 'approve', { requestId, actAs: people.sam.id }, ctx),
    );
    assert.match(String(asSam.value), /cannot approve/);

    const asPriya = await post(
      baseUrl,
      cardAction(people.sam, 'approve', { requestId, actAs: people.priya.id }, ctx),
    );
    assert.equal(asPriya.type, 'application/vnd.microsoft.card.adaptive');
    const saved = await app.store.get(requestId);
    assert.deepEqual(
      saved?.approvals.map((a) => a.approver.id),
      [people.priya.id],
      'recorded as Priya, not as the clicker',
    );

    const nobody = await post(
      baseUrl,
      cardAction(
        people.sam,
        'approve',
        { requestId, actAs: '00000000-0000-0000-0000-000000000000' },
        ctx,
      ),
    );
    assert.equal(nobody.statusCode, 400);
  });

  it('drops refresh and "act as" once the request is final', async () => {
    const { requestId, ctx } = await ask();
    for (const p of [people.priya, people.marcus]) {
      await post(baseUrl, cardAction(people.sam, 'approve', { requestId, actAs: p.id }, ctx));
    }
    const final = await connector.waitFor(() => {
      const versions = connector.cardVersions(ctx.cardActivityId);
      const last = versions[versions.length - 1];
      return last && texts(last).includes('"Completed') ? last : undefined;
    });
    assert.equal(final.refresh, undefined);
    assert.ok(!texts(final).includes('Sandbox: act as'));
  });
});

describe('"act as" with a real tenant (graph mode)', () => {
  let app: RevokeApp;

  after(async () => app?.stop());

  it('is refused before anything is looked up', async () => {
    const config = loadConfig(
      {
        DATABASE_URL: 'sqlite::memory:',
        AZURE_TENANT_ID: TENANT_ID,
        AZURE_CLIENT_ID: 'c0ffee00-0000-4000-8000-000000000002',
        AZURE_CLIENT_SECRET: 'not-used',
        APPROVER_GROUP_ID: 'c0ffee00-0000-4000-8000-000000000003',
        // No Bot Framework token in this test; the refusal does not depend on it.
        INSECURE_SKIP_BOT_AUTH: 'true',
        HOST: '127.0.0.1',
        // Nothing here may reach a real endpoint.
        AZURE_AUTHORITY_HOST: 'https://127.0.0.1:9',
        GRAPH_BASE_URL: 'https://127.0.0.1:9',
        AUDIT_KEY: testAuditKeyText(),
        AUDIT_SINK: 'off',
      },
      projectRoot(),
    );
    app = await buildApp(config, { logger: captureLogger() });
    assert.equal(app.sandbox, undefined);
    const baseUrl = await app.start(0, '127.0.0.1');
    const priya: Person = {
      id: '2b424d6f-9516-45f8-b57c-5000f2cfe62d',
      name: 'Priya Patel',
      channelAccountId: '29:priya',
    };
    // Ticking a checklist task as someone else is the same impersonation as approving as them.
    const asks: [string, Record<string, string>][] = [
      ['approve', {}],
      ['taskDone', { taskId: 'task-1' }],
    ];
    for (const [verb, extra] of asks) {
      const answer = await post(
        baseUrl,
        cardAction(
          priya,
          verb,
          { requestId: 'R-7K3Q9MXA', actAs: 'e6b02483-41ed-473e-83c5-c0dd8f6b5bd3', ...extra },
          { serviceUrl: 'http://127.0.0.1:9/', threadId: '1' },
        ),
      );
      assert.equal(answer.statusCode, 403, `${verb}: ${JSON.stringify(answer)}`);
      assert.match(JSON.stringify(answer.value), /only in sandbox mode/);
    }
  });
});
