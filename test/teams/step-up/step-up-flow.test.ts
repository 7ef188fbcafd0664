// Step-up MFA on approvals through /api/messages, as Teams and Azure drive it: a real tenant
// (graph mode against the Entra/Graph stand-in), Bot Framework authentication on, botbuilder's
// own UserTokenClient calling a token-service stand-in over HTTPS, and tokens signed by an OpenID
// issuer stand-in. Each click on Approve is first answered with a login request; the resent click
// carries the magic code; only a fresh MFA sign-in by the clicker counts.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sinon from 'sinon';
import {
  MicrosoftAppCredentials,
  PasswordServiceClientCredentialFactory,
} from 'botframework-connector';
import { buildApp, type RevokeApp } from '../../../src/app';
import { loadConfig } from '../../../src/config';
import { projectRoot } from '../../../src/project-root';
import type { Person, RevocationRequest } from '../../../src/core/model';
import { cardAction, channelMessage, TENANT_ID } from '../../support/activities';
import { BotFrameworkIssuer, strangerKey } from '../../support/bot-framework-issuer';
import { captureLogger } from '../../support/capture-logger';
import { cardText } from '../../support/card-text';
import { cardOf, ConnectorStandin } from '../../support/connector-standin';
import { EntraStandin } from '../../support/entra-standin';
import { FakeClock } from '../../support/fake-clock';
import { MemoryAuditLog, testAuditKeyText } from '../../support/memory-audit-log';
import { OpenIdIssuerStandin, type MintOptions } from '../../support/step-up-standin/openid-issuer';
import { TokenServiceStandin } from '../../support/step-up-standin/token-service';

const APP_ID = '7e1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const STEP_UP_APP = '5d1c0e5a-7b2f-4c3e-9a8d-1e2f3a4b5c6d';
const CONNECTION = 'revoke-step-up';
const ROLES = [
  'User.Read.All',
  'User.EnableDisableAccount.All',
  'User.RevokeSessions.All',
  'Device.ReadWrite.All',
  'GroupMember.Read.All',
  'RoleManagement.Read.Directory',
];

/** Replies go to the connector stand-in without a token; incoming checks are untouched. */
class AnonymousOutbound extends PasswordServiceClientCredentialFactory {
  override async createCredentials(): ReturnType<
    PasswordServiceClientCredentialFactory['createCredentials']
  > {
    return MicrosoftAppCredentials.Empty;
  }
}

interface InvokeAnswer {
  statusCode?: number;
  type?: string;
  value?: unknown;
}

interface LoginRequest {
  text?: string;
  connectionName?: string;
  buttons?: { type?: string; title?: string; value?: string }[];
}

describe('step-up MFA on approvals, through /api/messages (APPROVAL_STEP_UP=required)', function () {
  this.timeout(60_000);
  let entra: EntraStandin;
  let botIssuer: BotFrameworkIssuer;
  let issuer: OpenIdIssuerStandin;
  let tokens: TokenServiceStandin;
  let connector: ConnectorStandin;
  let serviceUrl: string;
  let app: RevokeApp | undefined;
  let baseUrl: string;
  let dir: string;
  let audit: MemoryAuditLog;
  let sam: Person;
  let priya: Person;
  let marcus: Person;
  let approverGroupId: string;
  let clientId: string;
  let clock: FakeClock;
  const secret = 'step-up-flow-graph-secret';

  before(async () => {
    botIssuer = await new BotFrameworkIssuer().start();
  });
  after(async () => {
    await botIssuer.stop();
  });

  beforeEach(async () => {
    sinon.stub(console, 'error');
    entra = await new EntraStandin({ tenantId: TENANT_ID }).start();
    issuer = await new OpenIdIssuerStandin(TENANT_ID, STEP_UP_APP).start();
    tokens = await new TokenServiceStandin().start();
    connector = new ConnectorStandin();
    serviceUrl = await connector.start();
    const person = (upn: string, name: string): Person => {
      const user = entra.state.addUser({ userPrincipalName: upn, displayName: name });
      return { id: user.id, name, upn, channelAccountId: `29:1${upn.split('.')[0] ?? ''}-teams` };
    };
    sam = person('sam.rivera@contoso.test', 'Sam Rivera');
    priya = person('priya.patel@contoso.test', 'Priya Patel');
    marcus = person('marcus.chen@contoso.test', 'Marcus Chen');
    entra.state.addUser({
      userPrincipalName: 'alice.johnson@contoso.test',
      displayName: 'Alice Johnson',
    });
    entra.state.addUser({ userPrincipalName: 'bob.smith@contoso.test', displayName: 'Bob Smith' });
    approverGroupId = entra.state.addGroup({
      displayName: 'Revoke approvers',
      memberIds: [priya.id, marcus.id],
    }).id;
    clientId = entra.state.addApp({ roles: ROLES, secrets: [secret] }).clientId;
    dir = mkdtempSync(join(tmpdir(), 'revoke-step-up-'));
    audit = new MemoryAuditLog();
    // The bot's clock, so a sign-in can grow old between two clicks without the test waiting.
    clock = new FakeClock(new Date().toISOString());
    await startApp();
  });

  afterEach(async () => {
    sinon.restore();
    await app?.stop();
    app = undefined;
    await connector.stop();
    await tokens.stop();
    await issuer.stop();
    await entra.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function startApp(): Promise<void> {
    const config = loadConfig(
      {
        DATABASE_URL: `sqlite:${join(dir, 'revoke.db')}`,
        AZURE_TENANT_ID: TENANT_ID,
        AZURE_CLIENT_ID: clientId,
        AZURE_CLIENT_SECRET: secret,
        AZURE_AUTHORITY_HOST: entra.origin,
        GRAPH_BASE_URL: entra.origin,
        APPROVER_GROUP_ID: approverGroupId,
        MicrosoftAppId: APP_ID,
        MicrosoftAppPassword: 'bot-secret-never-sent',
        MicrosoftAppType: 'SingleTenant',
        MicrosoftAppTenantId: TENANT_ID,
        HOST: '127.0.0.1',
        AUDIT_KEY: testAuditKeyText(),
        AUDIT_SINK: 'off',
        APPROVAL_STEP_UP: 'required',
        APPROVAL_OAUTH_CONNECTION: CONNECTION,
        APPROVAL_STEP_UP_AUDIENCE: STEP_UP_APP,
        APPROVAL_STEP_UP_METADATA_URL: issuer.metadataUrl,
      },
      projectRoot(),
    );
    app = await buildApp(config, {
      logger: captureLogger(),
      auditLog: audit,
      clock,
      botAuth: {
        openIdMetadataUrl: botIssuer.metadataUrl,
        credentialsFactory: new AnonymousOutbound(APP_ID, 'bot-secret-never-sent', TENANT_ID),
        oAuthUrl: tokens.origin,
      },
    });
    baseUrl = await app.start(0, '127.0.0.1');
  }

  async function post(activity: Record<string, unknown>): Promise<InvokeAnswer> {
    const response = await fetch(`${baseUrl}/api/messages`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${botIssuer.channelToken({ appId: APP_ID, serviceUrl })}`,
      },
      body: JSON.stringify(activity),
    });
    const text = await response.text();
    const answer = (text ? JSON.parse(text) : {}) as InvokeAnswer;
    // botbuilder answers an invoke with its response's own status (401 for a login request).
    assert.equal(response.status, answer.statusCode ?? 200, `HTTP ${response.status}: ${text}`);
    return answer;
  }

  async function ask(target = 'alice.johnson@contoso.test') {
    const before = connector.posted().length;
    const message = channelMessage(sam, `user ${target} Phished`, { serviceUrl });
    await post(message);
    const posted = await connector.waitFor(() =>
      connector
        .posted()
        .slice(before)
        .find((a) => cardOf(a)),
    );
    const card = cardOf(posted) as { actions?: { verb?: string; data?: { requestId?: string } }[] };
    const requestId = card.actions?.find((a) => a.verb === 'approve')?.data?.requestId;
    assert.ok(requestId, JSON.stringify(card));
    return {
      requestId,
      ctx: { serviceUrl, threadId: String(message.id), cardActivityId: String(posted.id) },
    };
  }

  type Ctx = Awaited<ReturnType<typeof ask>>['ctx'];

  function click(person: Person, verb: string, requestId: string, ctx: Ctx, code?: string) {
    const activity = cardAction(person, verb, { requestId }, ctx);
    if (code !== undefined) (activity.value as Record<string, unknown>).state = code;
    return post(activity);
  }

  function assertLoginRequest(answer: InvokeAnswer): void {
    assert.equal(answer.statusCode, 401, JSON.stringify(answer));
    assert.equal(answer.type, 'application/vnd.microsoft.activity.loginRequest');
    const value = answer.value as LoginRequest;
    assert.equal(value.connectionName, CONNECTION);
    const button = value.buttons?.[0];
    assert.equal(button?.type, 'signin');
    assert.ok(
      button?.value?.startsWith(`${tokens.origin}/api/oauth/signin?signin=`),
      button?.value,
    );
  }

  /** Click, sign in (the token the sign-in yields is minted then), click again with the code. */
  async function decideWithSignIn(
    person: Person,
    verb: 'approve' | 'reject',
    requestId: string,
    ctx: Ctx,
    mint: Partial<MintOptions> = {},
    /** Seconds the bot's clock moves between the sign-in and the resent click. */
    waitSeconds = 0,
  ): Promise<InvokeAnswer> {
    assertLoginRequest(await click(person, verb, requestId, ctx));
    const token = await issuer.mint({ oid: person.id, nowMs: clock.now().getTime(), ...mint });
    const code = tokens.completeSignIn(person.channelAccountId ?? '', CONNECTION, token);
    clock.advance(waitSeconds * 1000);
    return click(person, verb, requestId, ctx, code);
  }

  async function requestOf(id: string): Promise<RevocationRequest> {
    const request = await app?.store.get(id);
    assert.ok(request);
    return request;
  }

  function messageOf(answer: InvokeAnswer): string {
    assert.equal(answer.type, 'application/vnd.microsoft.activity.message', JSON.stringify(answer));
    return String(answer.value);
  }

  it('runs only after two approvers each signed in with MFA; the card and the audit say so', async () => {
    const { requestId, ctx } = await ask();

    const first = await decideWithSignIn(priya, 'approve', requestId, ctx, { uti: 'uti-priya' });
    assert.equal(first.type, 'application/vnd.microsoft.card.adaptive', JSON.stringify(first));
    assert.match(cardText(first.value), /Priya Patel \(approved with MFA at \d\d:\d\d UTC\)/);
    assert.equal((await requestOf(requestId)).status, 'pending', 'one proof is not enough');

    const second = await decideWithSignIn(marcus, 'approve', requestId, ctx, { uti: 'uti-marcus' });
    assert.equal(second.type, 'application/vnd.microsoft.card.adaptive', JSON.stringify(second));
    const approved = await requestOf(requestId);
    assert.notEqual(approved.status, 'pending', 'two fresh proofs from two approvers: it runs');
    assert.deepEqual(
      approved.approvals.map((a) => [a.approver.id, a.stepUp?.method, a.stepUp?.tokenId]),
      [
        [priya.id, 'mfa', 'uti-priya'],
        [marcus.id, 'mfa', 'uti-marcus'],
      ],
    );
    const recorded = audit.records.filter((r) => r.type === 'approval.recorded');
    assert.deepEqual(
      recorded.map((r) => [r.actorId, r.details['stepUpMethod'], r.details['stepUpTokenId']]),
      [
        [priya.id, 'mfa', 'uti-priya'],
        [marcus.id, 'mfa', 'uti-marcus'],
      ],
    );
    assert.ok(recorded.every((r) => typeof r.details['stepUpAuthTime'] === 'string'));
    // Signed out after each decision: the next one asks again.
    for (const person of [priya, marcus]) {
      assert.equal(tokens.signOuts(person.channelAccountId ?? ''), 1);
      assert.equal(tokens.holdsToken(person.channelAccountId ?? '', CONNECTION), false);
    }
    // The login request carried the conversation, for the token service to route the code back.
    assert.equal(tokens.signIns.length, 2);
    assert.equal(tokens.signIns[0]?.state.connectionName, CONNECTION);
    assert.equal(tokens.signIns[0]?.state.msAppId, APP_ID);
  });

  it('refuses, with a reason, every sign-in that does not prove a fresh MFA by the clicker', async () => {
    const { requestId, ctx } = await ask();
    const now = Math.floor(clock.now().getTime() / 1000);
    const cases: [string, Partial<MintOptions> | { asUser: Person }, RegExp, number?][] = [
      ['no MFA', { amr: ['pwd'] }, /did not use multi-factor/],
      ['MFA too old', {}, /more than 300 seconds old/, 400],
      ['auth before the challenge', { authTime: now - 120 }, /before the approval asked/],
      ["another user's token", { asUser: marcus }, /another account/],
      ['wrong audience', { aud: 'another-app' }, /wrong audience/],
      ['wrong issuer', { iss: 'https://login.microsoftonline.com/evil/v2.0' }, /wrong issuer/],
      ['wrong tenant', { tid: '00000000-0000-4000-8000-000000000000' }, /another tenant/],
      ['expired', { expiresIn: -300 }, /expired/],
      ['bad signature', { signWith: strangerKey() }, /signature/],
    ];
    for (const [what, options, reason, waitSeconds] of cases) {
      const mint = 'asUser' in options ? { oid: options.asUser.id } : options;
      const answer = await decideWithSignIn(priya, 'approve', requestId, ctx, mint, waitSeconds);
      assert.match(messageOf(answer), reason, what);
      assert.match(messageOf(answer), /Nothing was changed/, what);
      assert.deepEqual((await requestOf(requestId)).approvals, [], `${what}: nothing counted`);
    }
    const refusals = audit.records.filter(
      (r) =>
        r.type === 'access.refused' && String(r.details['reason']).startsWith('step-up refused'),
    );
    assert.equal(refusals.length, cases.length, 'each refusal is audited');
    assert.equal(
      tokens.signOuts(priya.channelAccountId ?? ''),
      cases.length,
      'signed out each time',
    );
  });

  it('refuses a wrong magic code', async () => {
    const { requestId, ctx } = await ask();
    assertLoginRequest(await click(priya, 'approve', requestId, ctx));
    tokens.completeSignIn(
      priya.channelAccountId ?? '',
      CONNECTION,
      await issuer.mint({ oid: priya.id }),
    );
    assert.match(
      messageOf(await click(priya, 'approve', requestId, ctx, '000000')),
      /did not complete/,
    );
    assert.deepEqual((await requestOf(requestId)).approvals, []);
  });

  it('spends a sign-in once: the same token is refused on another request, also after a restart', async () => {
    const token = await issuer.mint({ oid: priya.id, uti: 'uti-once' });
    const signInWith = async (requestId: string, ctx: Ctx): Promise<InvokeAnswer> => {
      assertLoginRequest(await click(priya, 'approve', requestId, ctx));
      const code = tokens.completeSignIn(priya.channelAccountId ?? '', CONNECTION, token);
      return click(priya, 'approve', requestId, ctx, code);
    };
    const one = await ask('alice.johnson@contoso.test');
    assert.equal(
      (await signInWith(one.requestId, one.ctx)).type,
      'application/vnd.microsoft.card.adaptive',
    );
    const two = await ask('bob.smith@contoso.test');
    assert.match(messageOf(await signInWith(two.requestId, two.ctx)), /already used/);

    await app?.stop();
    await startApp();
    assert.match(
      messageOf(await signInWith(two.requestId, two.ctx)),
      /already used/,
      'after a restart',
    );
    assert.deepEqual((await requestOf(two.requestId)).approvals, []);
  });

  it('asks for a sign-in before a rejection counts too', async () => {
    const { requestId, ctx } = await ask();
    assertLoginRequest(await click(marcus, 'reject', requestId, ctx));
    assert.equal((await requestOf(requestId)).status, 'pending');
    const answer = await decideWithSignIn(marcus, 'reject', requestId, ctx, { uti: 'uti-reject' });
    assert.equal(answer.type, 'application/vnd.microsoft.card.adaptive', JSON.stringify(answer));
    const rejected = await requestOf(requestId);
    assert.equal(rejected.status, 'rejected');
    assert.equal(rejected.rejection?.stepUp?.tokenId, 'uti-reject');
    const record = audit.records.find((r) => r.type === 'request.rejected');
    assert.equal(record?.details['stepUpTokenId'], 'uti-reject');
    assert.match(cardText(answer.value), /Rejected by Marcus Chen at .* \(rejected with MFA at/);
  });
});
