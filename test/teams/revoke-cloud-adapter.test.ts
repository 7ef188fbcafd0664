// The adapter entered from a checked body (revoke-cloud-adapter.ts) answers as botbuilder's own
// CloudAdapter.process does: the turn runs with botbuilder's view of the activity, an invoke's
// answer is returned as given, a refused token is a 401; and a failure outside the turn is a 500
// whose text says nothing of the cause.
import { strict as assert } from 'node:assert';
import { ActivityTypes, type Activity, type TurnContext } from 'botbuilder';
import {
  BotFrameworkAuthentication,
  type AuthenticateRequestResult,
  type ClaimsIdentity,
  type ConnectorFactory,
  type UserTokenClient,
} from 'botframework-connector';
import { createBotAuthentication } from '../../src/teams/bot-authentication';
import { RevokeCloudAdapter, TURN_FAILED } from '../../src/teams/revoke-cloud-adapter';
import { channelMessage, cardAction } from '../support/activities';
import { SAM } from '../support/builders';

const CONTEXT = { serviceUrl: 'http://127.0.0.1:9/' };

/** Authentication that cannot run: a fault of the bot's side, not a refused caller. */
class BrokenAuthentication extends BotFrameworkAuthentication {
  override authenticateRequest(): Promise<AuthenticateRequestResult> {
    return Promise.reject(new Error('key store offline at 10.0.0.7 (detail for the log only)'));
  }
  override authenticateStreamingRequest(): Promise<AuthenticateRequestResult> {
    return this.authenticateRequest();
  }
  override createConnectorFactory(_claims: ClaimsIdentity): ConnectorFactory {
    throw new Error('not used');
  }
  override createUserTokenClient(_claims: ClaimsIdentity): Promise<UserTokenClient> {
    throw new Error('not used');
  }
}

describe('RevokeCloudAdapter.processBody', () => {
  it('runs the turn on botbuilder’s view of the activity: dates as Dates, their text kept', async () => {
    const adapter = new RevokeCloudAdapter(
      createBotAuthentication({ appType: 'MultiTenant', skipAuth: true }),
    );
    const body = {
      ...channelMessage(SAM, 'help', CONTEXT),
      timestamp: '2026-12-04T10:00:00.000Z',
      localTimestamp: '2026-12-04T11:00:00.000+01:00',
      expiration: '2026-12-04T10:05:00.000Z',
    };
    let seen: (Activity & Record<string, unknown>) | undefined;
    const answer = await adapter.processBody(body, '', async (context: TurnContext) => {
      seen = context.activity as Activity & Record<string, unknown>;
    });
    assert.deepEqual(answer, { status: 200 });
    assert.ok(seen);
    assert.ok(seen.timestamp instanceof Date);
    assert.equal(seen.timestamp.toISOString(), '2026-12-04T10:00:00.000Z');
    assert.equal(seen['rawTimestamp'], '2026-12-04T10:00:00.000Z');
    assert.ok(seen.localTimestamp instanceof Date);
    assert.equal(seen['rawLocalTimestamp'], '2026-12-04T11:00:00.000+01:00');
    assert.ok(seen.expiration instanceof Date);
    assert.equal(seen['rawExpiration'], '2026-12-04T10:05:00.000Z');
  });

  it('returns an invoke’s answer as the turn gave it', async () => {
    const adapter = new RevokeCloudAdapter(
      createBotAuthentication({ appType: 'MultiTenant', skipAuth: true }),
    );
    const body = cardAction(SAM, 'approve', { requestId: 'R-1' }, CONTEXT);
    const answer = await adapter.processBody(body, '', async (context) => {
      await context.sendActivity({
        type: ActivityTypes.InvokeResponse,
        value: { status: 202, body: { statusCode: 202, value: 'taken' } },
      });
    });
    assert.deepEqual(answer, { status: 202, body: { statusCode: 202, value: 'taken' } });
  });

  it('answers 401 for a token that is refused, and never runs the turn', async () => {
    const adapter = new RevokeCloudAdapter(
      createBotAuthentication({
        appId: '00000000-0000-4000-8000-0000000000b0',
        appType: 'MultiTenant',
        skipAuth: false,
      }),
    );
    let ran = false;
    const answer = await adapter.processBody(
      channelMessage(SAM, 'help', CONTEXT),
      'Bearer not.a.jwt',
      async () => {
        ran = true;
      },
    );
    assert.equal(answer.status, 401);
    assert.equal(ran, false);
  });

  it('answers 500 with a fixed text when the turn cannot run; the cause is kept for the log only', async () => {
    const adapter = new RevokeCloudAdapter(new BrokenAuthentication());
    let ran = false;
    const answer = await adapter.processBody(channelMessage(SAM, 'help', CONTEXT), '', async () => {
      ran = true;
    });
    assert.equal(answer.status, 500);
    assert.equal(answer.body, TURN_FAILED);
    assert.doesNotMatch(JSON.stringify(answer.body), /10\.0\.0\.7/);
    assert.match(String((answer.failure as Error).message), /key store offline/);
    assert.equal(ran, false);
  });
});
