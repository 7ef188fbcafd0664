// The final approval's invoke is answered once the decision is audited and saved: the thread's
// card update, the thread message and the run follow afterwards, in that order. Here the
// connector holds every card update until the test lets it go, so an invoke that waited for them
// would never be answered.
import { strict as assert } from 'node:assert';
import type { IncomingMessage } from 'node:http';
import type { Person } from '../../src/core/model';
import { cardAction } from '../support/activities';
import { cardText } from '../support/card-text';
import type { ConnectorStandin } from '../support/connector-standin';
import { startSandboxApp, type SandboxApp } from '../support/sandbox-app';

/** The stand-in's request handler, reached to hold card updates (PUTs) back. */
interface Handling {
  handle(req: IncomingMessage): Promise<{ status: number; body: unknown }>;
}

function holdCardUpdates(connector: ConnectorStandin): { release(): void } {
  const handling = connector as unknown as Handling;
  const original = handling.handle.bind(connector);
  let release = () => undefined as void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  handling.handle = async (req) => {
    if (req.method === 'PUT') await released;
    return original(req);
  };
  return { release };
}

describe('the final approval’s answer (sandbox tenant, through /api/messages)', function () {
  this.timeout(20_000);
  let sandbox: SandboxApp;

  beforeEach(async () => {
    sandbox = await startSandboxApp();
  });

  afterEach(() => sandbox.stop());

  it('comes while the card update is held, and the message and the run follow once it is let go', async () => {
    const { connector, app } = sandbox;
    const sam = sandbox.person('sam.rivera@contoso.com');
    const priya: Person = sandbox.person('priya.patel@contoso.com');
    const marcus: Person = sandbox.person('marcus.chen@contoso.com');
    const { requestId, ctx } = await sandbox.askFor(sam, 'user bob.smith@contoso.com Token theft');
    const first = await sandbox.post(cardAction(priya, 'approve', { requestId }, ctx));
    assert.equal((first.body as { type: string }).type, 'application/vnd.microsoft.card.adaptive');
    // The first approval's card update has landed: hold every one after it.
    await connector.waitFor(() => connector.cardVersions(ctx.cardActivityId)[1]);
    const held = holdCardUpdates(connector);
    const putsBefore = connector.calls.filter((c) => c.method === 'PUT').length;

    try {
      const final = await sandbox.post(cardAction(marcus, 'approve', { requestId }, ctx));
      assert.equal(final.status, 200);
      const answer = final.body as { type: string; value: unknown };
      assert.equal(answer.type, 'application/vnd.microsoft.card.adaptive');
      assert.match(cardText(answer.value), /Marcus Chen/);
      assert.equal((await app.store.get(requestId))?.status, 'running', 'saved before the answer');
      assert.equal(
        connector.calls.filter((c) => c.method === 'PUT').length,
        putsBefore,
        'no card update got through',
      );
      assert.ok(
        !connector.texts().some((t) => t.includes('Approved by')),
        'the thread message waits for the card update',
      );
    } finally {
      // Also when an assertion failed: shutdown waits for the held work.
      held.release();
    }
    await connector.waitFor(() => connector.texts().find((t) => t.includes('Approved by')));
    const done = await waitForStatus(sandbox, requestId, 'completed');
    assert.equal(done, 'completed', 'the run started after the message and finished');
  });
});

async function waitForStatus(
  sandbox: SandboxApp,
  requestId: string,
  status: string,
): Promise<string | undefined> {
  for (let i = 0; i < 500; i++) {
    const current = (await sandbox.app.store.get(requestId))?.status;
    if (current === status) return current;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return (await sandbox.app.store.get(requestId))?.status;
}
