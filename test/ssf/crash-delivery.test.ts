// At-least-once delivery across a crash: Revoke runs as its own process (`node dist/src/index.js`,
// SQLite file, graph mode against the Entra stand-in) and is killed with SIGKILL while a SET is
// on its way to the receiver, after the SET was saved with the step. Started again on the same
// database, it sends the same SETs (the same jti), and the receiver has each jti once.
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Person } from '../../src/core/model';
import { CHANNEL_CONVERSATION, TENANT_ID } from '../support/activities';
import { BotProcess, freePort } from '../support/bot-process';
import { ConnectorStandin } from '../support/connector-standin';
import { EntraStandin } from '../support/entra-standin';
import { SsfReceiverStandin } from '../support/ssf-receiver-standin';
import { tlsFront } from '../support/ssf-receiver-standin/tls-front';
import { writeKeyPair } from '../support/ssf-transmitter-harness';
import type { TlsListener } from '../support/test-tls-server';
import { LEAST_PRIVILEGE_ROLES } from '../integration/hybrid-tenant';
import { readRequest, requestAndApprove } from '../integration/revocation-driver';

const AUDIENCE = 'https://contoso.okta.example.test';

describe('Shared Signals across a SIGKILL: delivered after the restart, once per jti', function () {
  this.timeout(90_000);
  let dir: string;
  let standin: EntraStandin;
  let connector: ConnectorStandin;
  let serviceUrl: string;
  let receiver: SsfReceiverStandin;
  let front: TlsListener & { origin: string };
  let botPort = 0;
  const bots: BotProcess[] = [];
  let env: Record<string, string>;
  let sam: Person;
  let approvers: [Person, Person];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'revoke-ssf-crash-'));
    standin = await new EntraStandin({ tenantId: TENANT_ID }).start();
    connector = new ConnectorStandin();
    serviceUrl = await connector.start();
    front = await tlsFront(() => botPort);
    receiver = new SsfReceiverStandin({ issuer: front.origin, audience: AUDIENCE });
    await receiver.start();
    const state = standin.state;
    const secret = randomBytes(24).toString('base64url');
    const clientId = state.addApp({ roles: LEAST_PRIVILEGE_ROLES, secrets: [secret] }).clientId;
    const person = (upn: string, name: string): Person => {
      const user = state.addUser({ userPrincipalName: upn, displayName: name });
      connector.addMember(CHANNEL_CONVERSATION, {
        id: `29:${user.id}`,
        name,
        aadObjectId: user.id,
        userPrincipalName: upn,
      });
      return { id: user.id, name, upn, channelAccountId: `29:${user.id}` };
    };
    sam = person('sam.rivera@contoso.test', 'Sam Rivera');
    approvers = [
      person('priya.patel@contoso.test', 'Priya Patel'),
      person('marcus.chen@contoso.test', 'Marcus Chen'),
    ];
    state.addUser({ userPrincipalName: 'alice.johnson@contoso.test', displayName: 'Alice' });
    const group = state.addGroup({
      displayName: 'Revoke approvers',
      memberIds: approvers.map((a) => a.id),
    });
    env = {
      AZURE_TENANT_ID: standin.tenantId,
      AZURE_CLIENT_ID: clientId,
      AZURE_CLIENT_SECRET: secret,
      AZURE_AUTHORITY_HOST: standin.origin,
      GRAPH_BASE_URL: standin.origin,
      APPROVER_GROUP_ID: group.id,
      INSECURE_SKIP_BOT_AUTH: 'true',
      HOST: '127.0.0.1',
      DATABASE_URL: `sqlite:${join(dir, 'revoke.db')}`,
      AUDIT_KEY: randomBytes(32).toString('base64'),
      AUDIT_SINK: 'off',
      LOG_LEVEL: 'info',
      SSF_ISSUER: front.origin,
      SSF_SIGNING_KEY: writeKeyPair(dir, 'signing').privateFile,
      SSF_RECEIVERS: JSON.stringify([
        { name: 'okta', pushUrl: receiver.pushUrl, audience: AUDIENCE },
      ]),
      SSF_PUSH_TIMEOUT_MS: '60000',
    };
  });

  after(async () => {
    await Promise.all(bots.splice(0).map((bot) => bot.kill('SIGKILL')));
    await front.close();
    await receiver.stop();
    await connector.stop();
    await standin.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function startBot(): Promise<string> {
    botPort = await freePort();
    const bot = await BotProcess.start(env, botPort);
    bots.push(bot);
    return `http://127.0.0.1:${botPort}`;
  }

  it('re-sends the SET in flight with its jti; the receiver took it once', async () => {
    // The receiver takes the first SET but the bot dies before hearing the 202.
    receiver.hold = 'after';
    const { requestId } = await requestAndApprove({
      baseUrl: await startBot(),
      connector,
      serviceUrl,
      requester: sam,
      approvers,
      upn: 'alice.johnson@contoso.test',
    });
    // (The start-up checks send a verification event too: not part of the run.)
    const signals = () => receiver.accepted.filter((s) => !s.type.endsWith('/verification'));
    const inFlight = (await receiver.waitFor(() => signals()[0], 30_000)).jti;
    assert.ok(receiver.held.includes(inFlight), 'its 202 never left the receiver');
    const killed = await bots[0]?.kill('SIGKILL');
    assert.equal(killed?.signal, 'SIGKILL');
    const saved = readRequest(env.DATABASE_URL?.slice('sqlite:'.length) ?? '', requestId);
    const signal = saved.steps.find((s) => s.id === 'ssf-okta');
    assert.equal(signal?.status, 'running', 'killed mid-delivery');
    const outbox = [0, 1].map(
      (n) => (JSON.parse(String(signal?.facts?.[`set.${n}`])) as { jti: string }).jti,
    );
    assert.equal(inFlight, outbox[0], 'the SET in flight was the one saved first');

    receiver.hold = undefined;
    await startBot();
    await receiver.waitFor(() => signals().length === 2 || undefined, 30_000);
    await receiver.waitFor(() => {
      const request = readRequest(env.DATABASE_URL?.slice('sqlite:'.length) ?? '', requestId);
      return request.status === 'completed' ? request : undefined;
    }, 30_000);
    assert.deepEqual(
      signals().map((s) => s.jti),
      outbox,
      'each saved SET taken once, with its saved jti',
    );
    assert.deepEqual(
      receiver.duplicates,
      [outbox[0]],
      'the re-sent one was dropped as a duplicate',
    );
    assert.deepEqual(receiver.refused, []);
  });
});
