// Drives a revocation over HTTP the way Teams does (command, card, two approvals) and watches the
// run from outside the bot: its SQLite file, read-only, and the cards the connector received.
import { strict as assert } from 'node:assert';
import Database from 'better-sqlite3';
import type { Person, RevocationRequest, Step } from '../../src/core/model';
import { cardAction, channelMessage } from '../support/activities';
import { cardOf, type ConnectorStandin } from '../support/connector-standin';
import { cardText } from '../support/card-text';

/** Re-exported for the integration suites, which read cards through this driver. */
export { cardText };

export interface Approved {
  requestId: string;
  cardId: string;
}

async function post(baseUrl: string, activity: unknown): Promise<unknown> {
  const response = await fetch(`${baseUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
    signal: AbortSignal.timeout(15_000),
  });
  assert.equal(response.status, 200, `POST /api/messages answered ${response.status}`);
  const text = await response.text();
  return text ? (JSON.parse(text) as unknown) : undefined;
}

/** Asks for the revocation of `upn` and has both approvers approve it. */
export async function requestAndApprove(options: {
  baseUrl: string;
  connector: ConnectorStandin;
  serviceUrl: string;
  requester: Person;
  approvers: [Person, Person];
  upn: string;
}): Promise<Approved> {
  const { baseUrl, connector, serviceUrl, requester, approvers, upn } = options;
  const cardsBefore = connector.posted().filter((a) => cardOf(a)).length;
  const message = channelMessage(requester, `user ${upn} Credentials phished`, { serviceUrl });
  await post(baseUrl, message);
  const posted = await connector
    .waitFor(() => connector.posted().filter((a) => cardOf(a))[cardsBefore], 15_000)
    .catch((error: unknown) => {
      // The bot answers a refused command in the thread: say what it said.
      throw new Error(`no request card; the bot said: ${connector.texts().slice(-2).join(' / ')}`, {
        cause: error,
      });
    });
  const actions = (cardOf(posted)?.actions ?? []) as { verb?: string; data?: unknown }[];
  const requestId = (actions.find((a) => a.verb === 'approve')?.data as { requestId?: string })
    ?.requestId;
  assert.ok(requestId, `the request card carries its id: ${cardText(cardOf(posted))}`);
  const cardId = String(posted.id);
  const ctx = { serviceUrl, threadId: String(message.id), cardActivityId: cardId };
  for (const approver of approvers) {
    const answer = (await post(baseUrl, cardAction(approver, 'approve', { requestId }, ctx))) as {
      type?: string;
    };
    assert.equal(answer.type, 'application/vnd.microsoft.card.adaptive', 'approval accepted');
  }
  return { requestId, cardId };
}

/** Reads the bot's database the way an operator would: read-only, while the bot runs. */
export function readRequest(databaseFile: string, requestId: string): RevocationRequest {
  const db = new Database(databaseFile, { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare('SELECT document FROM requests WHERE id = ?').get(requestId) as
      { document: string } | undefined;
    assert.ok(row, `request ${requestId} is in the database`);
    return JSON.parse(row.document) as RevocationRequest;
  } finally {
    db.close();
  }
}

export function stepOf(request: RevocationRequest, id: string): Step {
  const step = request.steps.find((s) => s.id === id);
  assert.ok(step, `step ${id}`);
  return step;
}

/** Polls until `probe` holds, at most `timeoutMs`; says what it was waiting for otherwise. */
export async function waitUntil(
  probe: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The last version of the card the connector received. */
export function lastCardText(connector: ConnectorStandin, cardId: string): string {
  const versions = connector.cardVersions(cardId);
  return cardText(versions[versions.length - 1]);
}
