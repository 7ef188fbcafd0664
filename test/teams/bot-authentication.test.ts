// Who may talk to the bot: every request to /api/messages must carry a Bot Framework token signed
// by a key from the channel's OpenID metadata, for our app id, from the Bot Framework issuer, not
// expired, naming the activity's serviceUrl. Here a local issuer plays login.botframework.com;
// the validation is botbuilder's own, configured as in production but for where the keys live.
import { strict as assert } from 'node:assert';
import sinon from 'sinon';
import {
  MicrosoftAppCredentials,
  PasswordServiceClientCredentialFactory,
} from 'botframework-connector';
import { buildApp, type RevokeApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { projectRoot } from '../../src/project-root';
import type { Person } from '../../src/core/model';
import { ConnectorStandin, cardOf } from '../support/connector-standin';
import { cardAction, channelMessage, TENANT_ID } from '../support/activities';
import { captureLogger } from '../support/capture-logger';
import { BotFrameworkIssuer, strangerKey } from '../support/bot-framework-issuer';
import { MemoryAuditLog } from '../support/memory-audit-log';

const APP_ID = '7e1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const OTHER_APP_ID = '0a0b0c0d-1111-4222-8333-944444444444';

/** Replies go to the connector stand-in without a token; incoming checks are untouched. */
class AnonymousOutbound extends PasswordServiceClientCredentialFactory {
  override async createCredentials(): ReturnType<
    PasswordServiceClientCredentialFactory['createCredentials']
  > {
    return MicrosoftAppCredentials.Empty;
  }
}

describe('Bot Framework authentication on /api/messages', function () {
  this.timeout(20_000);
  let issuer: BotFrameworkIssuer;
  let connector: ConnectorStandin;
  let serviceUrl: string;
  let app: RevokeApp;
  let baseUrl: string;
  let sam: Person;
  let priya: Person;
  const audit = new MemoryAuditLog();

  before(async () => {
    issuer = await new BotFrameworkIssuer().start();
  });
  after(async () => {
    await issuer.stop();
  });

  beforeEach(async () => {
    // botbuilder prints every refused token to the console; the assertions below are what matter.
    sinon.stub(console, 'error');
    connector = new ConnectorStandin();
    serviceUrl = await connector.start();
    const config = loadConfig(
      {
        DATABASE_URL: 'sqlite::memory:',
        SANDBOX_LATENCY_MS: '0',
        MicrosoftAppId: APP_ID,
        MicrosoftAppPassword: 'bot-secret-never-sent',
        MicrosoftAppType: 'SingleTenant',
        MicrosoftAppTenantId: TENANT_ID,
      },
      projectRoot(),
    );
    app = await buildApp(config, {
      logger: captureLogger(),
      auditLog: audit,
      botAuth: {
        openIdMetadataUrl: issuer.metadataUrl,
        credentialsFactory: new AnonymousOutbound(APP_ID, 'bot-secret-never-sent', TENANT_ID),
      },
    });
    baseUrl = await app.start(0, '127.0.0.1');
    const byUpn = (upn: string): Person => {
      const person = app.sandbox?.people.find((p) => p.upn === upn);
      assert.ok(person, upn);
      return person;
    };
    sam = byUpn('sam.rivera@contoso.com');
    priya = byUpn('priya.patel@contoso.com');
  });

  afterEach(async () => {
    sinon.restore();
    await app.stop();
    await connector.stop();
  });

  async function post(activity: unknown, token?: string): Promise<number> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
    const response = await fetch(`${baseUrl}/api/messages`, {
      method: 'POST',
      headers,
      body: JSON.stringify(activity),
    });
    await response.text();
    return response.status;
  }

  it('refuses with 401, and changes nothing, every request that is not from the Bot Framework for us', async () => {
    const cases: [string, () => string | undefined][] = [
      ['no token', () => undefined],
      [
        'a token for another bot (audience)',
        () => issuer.channelToken({ appId: OTHER_APP_ID, serviceUrl }),
      ],
      [
        'a bad signature',
        () => issuer.channelToken({ appId: APP_ID, serviceUrl, signWith: strangerKey() }),
      ],
      [
        'an expired token',
        () => issuer.channelToken({ appId: APP_ID, serviceUrl, expiresIn: -600 }),
      ],
      [
        'another issuer',
        () => issuer.channelToken({ appId: APP_ID, serviceUrl, issuer: 'https://evil.example' }),
      ],
      [
        'a token for another serviceUrl',
        () => issuer.channelToken({ appId: APP_ID, serviceUrl: 'https://smba.attacker.example/' }),
      ],
    ];
    for (const [what, token] of cases) {
      const message = channelMessage(sam, 'user alice.johnson@contoso.com Phished', { serviceUrl });
      assert.equal(await post(message, token()), 401, what);
    }
    // A garbled header is no better.
    const message = channelMessage(sam, 'user alice.johnson@contoso.com Phished', { serviceUrl });
    const status = await fetch(`${baseUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer not.a.jwt' },
      body: JSON.stringify(message),
    }).then((r) => r.status);
    assert.equal(status, 401, 'garbled token');

    assert.deepEqual(await app.store.listByStatus(['pending', 'running']), [], 'no request made');
    assert.equal(connector.calls.length, 0, 'nothing was said anywhere');
  });

  it('accepts a valid token: the request is made and the card posted; the click is honoured', async () => {
    const message = channelMessage(sam, 'user bob.smith@contoso.com Token theft', { serviceUrl });
    assert.equal(await post(message, issuer.channelToken({ appId: APP_ID, serviceUrl })), 200);
    const posted = await connector.waitFor(() =>
      connector.calls.find((c) => c.method === 'POST' && cardOf(c.activity)),
    );
    const [request] = await app.store.listByStatus(['pending']);
    assert.ok(request);
    assert.equal(request.target.userPrincipalName, 'bob.smith@contoso.com');

    const click = cardAction(
      priya,
      'approve',
      { requestId: request.id },
      { serviceUrl, threadId: String(message.id), cardActivityId: String(posted.activity.id) },
    );
    assert.equal(await post(click), 401, 'an unsigned click is refused');
    assert.equal((await app.store.get(request.id))?.approvals.length, 0);
    assert.equal(await post(click, issuer.channelToken({ appId: APP_ID, serviceUrl })), 200);
    assert.equal((await app.store.get(request.id))?.approvals.length, 1);

    // The audit trail holds who and what, never a credential or a token.
    const trail = JSON.stringify(audit.records);
    assert.ok(audit.records.some((r) => r.type === 'approval.recorded'));
    assert.ok(!trail.includes('bot-secret-never-sent'), 'no bot password');
    assert.ok(!/eyJ[A-Za-z0-9_-]{8,}\./.test(trail), 'no JWT');
  });
});
