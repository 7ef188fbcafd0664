// The activity calls sent directly (reply, post, update), against the connector stand-in over
// HTTPS: signed by botbuilder's own credentials, retried after a 429's Retry-After and on server
// faults like botbuilder's pipeline, refused calls failing at once with the connector's status,
// and every other operation left to botbuilder's client.
import { strict as assert } from 'node:assert';
import sinon from 'sinon';
import { ConnectorClient, MicrosoftAppCredentials } from 'botframework-connector';
import { ConnectorCallError, withDirectActivityCalls } from '../../src/teams/direct-activity-calls';
import { ConnectorStandin } from '../support/connector-standin';
import { FakeClock } from '../support/fake-clock';

const TOKEN = 'token-for-the-connector-7f3a';

/** botbuilder's app credentials, with the token a login would have cached. */
class CachedToken extends MicrosoftAppCredentials {
  constructor() {
    super('7e1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', 'never-sent');
  }
  override async getToken(): Promise<string> {
    return TOKEN;
  }
}

describe('activity calls sent directly to the connector', () => {
  let connector: ConnectorStandin;
  let serviceUrl: string;
  let clock: FakeClock;
  let client: ConnectorClient;
  let direct: ConnectorClient;

  beforeEach(async () => {
    connector = new ConnectorStandin();
    serviceUrl = await connector.start({ tls: true });
    clock = new FakeClock();
    client = new ConnectorClient(new CachedToken(), { baseUri: serviceUrl });
    direct = withDirectActivityCalls(client, serviceUrl, { clock, env: {} });
  });

  afterEach(async () => {
    sinon.restore();
    await connector.stop();
  });

  it('replies, posts and updates over HTTPS, signed with the app token, not through the pipeline', async () => {
    const pipeline = sinon.spy(client.conversations, 'replyToActivity');
    const reply = await direct.conversations.replyToActivity('19:chan;messageid=7', '7', {
      type: 'message',
      text: 'a reply',
    });
    const post = await direct.conversations.sendToConversation('19:chan', {
      type: 'message',
      text: 'a post',
    });
    await direct.conversations.updateActivity('19:chan', String(post.id), {
      type: 'message',
      text: 'edited',
    });

    assert.equal(pipeline.callCount, 0, "botbuilder's pipeline was not used");
    assert.ok(reply.id && post.id && reply.id !== post.id);
    assert.deepEqual(
      connector.calls.map((c) => [c.method, c.conversationId, c.activityId, c.activity.text]),
      [
        ['POST', '19:chan;messageid=7', '7', 'a reply'],
        ['POST', '19:chan', undefined, 'a post'],
        ['PUT', '19:chan', post.id, 'edited'],
      ],
    );
    assert.deepEqual(
      connector.authorizations,
      [1, 2, 3].map(() => `Bearer ${TOKEN}`),
    );
    assert.deepEqual(clock.sleeps, []);
  });

  it('leaves every other operation, and the credentials, to botbuilder', () => {
    assert.equal(direct.conversations.createConversation, client.conversations.createConversation);
    assert.equal(
      direct.conversations.getConversationMember,
      client.conversations.getConversationMember,
    );
    assert.equal(direct.credentials, client.credentials);
    assert.notEqual(direct.conversations.replyToActivity, client.conversations.replyToActivity);
  });

  it("waits a 429's Retry-After and tries again", async () => {
    connector.failNext = { status: 429, times: 1, retryAfter: '3' };
    const answer = await direct.conversations.sendToConversation('19:chan', {
      type: 'message',
      text: 'after the wait',
    });
    assert.ok(answer.id);
    assert.deepEqual(clock.sleeps, [3_000]);
    assert.deepEqual(connector.texts(), ['after the wait']);
  });

  it('tries a failing connector 4 times in all, then fails with its status', async () => {
    connector.failNext = { status: 503, times: 10 };
    const failure = await direct.conversations
      .sendToConversation('19:chan', { type: 'message', text: 'never' })
      .then(
        () => assert.fail('posted'),
        (error: unknown) => error,
      );
    assert.ok(failure instanceof ConnectorCallError);
    assert.equal(failure.statusCode, 503);
    assert.equal(clock.sleeps.length, 3, 'three waits between four attempts');
    assert.equal(connector.failNext.times, 6);
  });

  it('fails at once on a refusal, with the status callers read and no token in the message', async () => {
    connector.failNext = { status: 403, times: 1 };
    const failure = await direct.conversations
      .replyToActivity('19:chan', '1', { type: 'message', text: 'refused' })
      .then(
        () => assert.fail('posted'),
        (error: unknown) => error,
      );
    assert.ok(failure instanceof ConnectorCallError);
    assert.equal(failure.statusCode, 403);
    assert.match(failure.message, /answered 403/);
    assert.ok(!failure.message.includes(TOKEN));
    assert.deepEqual(clock.sleeps, []);
  });

  it("keeps botbuilder's path behind a proxy, which only its pipeline honours", () => {
    const behindProxy = withDirectActivityCalls(client, serviceUrl, {
      clock,
      env: { HTTPS_PROXY: 'http://proxy.contoso.test:3128' },
    });
    assert.equal(behindProxy, client);
  });
});
