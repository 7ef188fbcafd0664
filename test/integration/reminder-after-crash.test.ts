// Durable reminders: the bot (its own process, SQLite file, graph mode against the Entra/Graph
// stand-in) is SIGKILLed before a request's reminder falls due and started again after it did.
// The reminder that fell due during the outage goes out once, at the restart.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Person } from '../../src/core/model';
import { channelMessage, CHANNEL_CONVERSATION, TENANT_ID } from '../support/activities';
import { BotProcess, freePort } from '../support/bot-process';
import { cardOf, ConnectorStandin } from '../support/connector-standin';
import { EntraStandin } from '../support/entra-standin';
import { addStandinPerson } from '../support/standin-people';
import { testAuditKeyText } from '../support/memory-audit-log';
import { readRequest, waitUntil } from './revocation-driver';

const REMINDER_SECONDS = 6;

describe('a reminder due while the bot was down fires once after the restart (SIGKILL)', function () {
  this.timeout(60_000);
  let standin: EntraStandin;
  let connector: ConnectorStandin;
  let serviceUrl: string;
  let dir: string;
  let env: Record<string, string>;
  let sam: Person;
  const bots: BotProcess[] = [];

  before(async () => {
    standin = await new EntraStandin({ tenantId: TENANT_ID }).start();
    connector = new ConnectorStandin();
    serviceUrl = await connector.start();
    const state = standin.state;
    const person = (upn: string, name: string): Person => addStandinPerson(standin, upn, name);
    sam = person('sam.rivera@contoso.test', 'Sam Rivera');
    const priya = person('priya.patel@contoso.test', 'Priya Patel');
    const marcus = person('marcus.chen@contoso.test', 'Marcus Chen');
    state.addUser({
      userPrincipalName: 'alice.johnson@contoso.test',
      displayName: 'Alice Johnson',
    });
    const approvers = state.addGroup({
      displayName: 'Revoke approvers',
      memberIds: [priya.id, marcus.id],
    });
    connector.joinTeam(CHANNEL_CONVERSATION, [sam, priya, marcus]);
    const secret = 'reminder-after-crash-secret';
    const client = state.addApp({
      roles: ['User.Read.All', 'GroupMember.Read.All', 'RoleManagement.Read.Directory'],
      secrets: [secret],
    });
    dir = mkdtempSync(join(tmpdir(), 'revoke-reminder-'));
    env = {
      AZURE_TENANT_ID: standin.tenantId,
      AZURE_CLIENT_ID: client.clientId,
      AZURE_CLIENT_SECRET: secret,
      AZURE_AUTHORITY_HOST: standin.origin,
      GRAPH_BASE_URL: standin.origin,
      APPROVER_GROUP_ID: approvers.id,
      INSECURE_SKIP_BOT_AUTH: 'true',
      HOST: '127.0.0.1',
      DATABASE_URL: `sqlite:${join(dir, 'revoke.db')}`,
      AUDIT_KEY: testAuditKeyText(),
      AUDIT_SINK: 'off',
      STARTUP_CHECKS: 'false',
      APPROVER_PERSONAL_CHATS: 'false',
      APPROVAL_REMINDER_MINUTES: String(REMINDER_SECONDS / 60),
    };
  });

  after(async () => {
    await Promise.all(bots.splice(0).map((bot) => bot.kill('SIGKILL')));
    await connector.stop();
    await standin.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function startBot(): Promise<{ bot: BotProcess; baseUrl: string }> {
    const port = await freePort();
    const bot = await BotProcess.start(env, port);
    bots.push(bot);
    return { bot, baseUrl: `http://127.0.0.1:${port}` };
  }

  const reminders = () => connector.texts().filter((text) => /Reminder:/.test(text));

  function auditCount(type: string): number {
    const db = new Database(join(dir, 'revoke.db'), { readonly: true, fileMustExist: true });
    try {
      const row = db.prepare('SELECT count(*) AS n FROM audit_events WHERE type = ?').get(type) as {
        n: number;
      };
      return row.n;
    } finally {
      db.close();
    }
  }

  it('the reminder is sent once, by the restarted bot', async () => {
    const first = await startBot();
    const message = channelMessage(sam, 'user alice.johnson@contoso.test Phished', { serviceUrl });
    await fetch(`${first.baseUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(message),
    });
    const posted = await connector.waitFor(() => connector.posted().find((a) => cardOf(a)));
    const actions = (cardOf(posted)?.actions ?? []) as {
      verb?: string;
      data?: { requestId?: string };
    }[];
    const requestId = String(actions.find((a) => a.verb === 'approve')?.data?.requestId);
    const exit = await first.bot.kill('SIGKILL');
    assert.equal(exit.signal, 'SIGKILL');
    const db = join(dir, 'revoke.db');
    const atKill = readRequest(db, requestId);
    assert.ok(atKill.outreach?.reminder, 'the reminder is saved with the request');
    assert.equal(atKill.outreach.reminder.doneAt, undefined, 'not sent before the kill');
    assert.equal(reminders().length, 0);

    // The outage lasts past the reminder's due time.
    const due = Date.parse(atKill.outreach.reminder.dueAt);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now()) + 500));

    const second = await startBot();
    await waitUntil(() => reminders().length > 0, 'the restarted bot sends the reminder', 15_000);
    await second.bot.waitForLog(/outreach caught up/);
    assert.equal(reminders().length, 1);
    assert.match(
      reminders()[0] ?? '',
      /Reminder: Sam Rivera asked \d+ s ago to revoke all access of Alice Johnson/,
    );
    const after = readRequest(db, requestId);
    assert.ok(after.outreach?.reminder?.doneAt);
    assert.equal(auditCount('approval.reminded'), 1);
    // Another sweep later finds nothing more to do.
    await second.bot.kill('SIGTERM');
    await startBot();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    assert.equal(reminders().length, 1, 'sent once, whatever restarts follow');
    assert.equal(auditCount('approval.reminded'), 1);
  });
});
