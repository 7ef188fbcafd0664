// One ConnectorClient per app, service URL and audience, and one UserTokenClient per app, instead
// of new ones every turn; botbuilder's own clients, built by its own factories, only reused.
import { strict as assert } from 'node:assert';
import { ConfigurationBotFrameworkAuthentication, type Activity } from 'botbuilder';
import {
  BotFrameworkAuthentication,
  ClaimsIdentity,
  ConnectorFactory,
  type AuthenticateRequestResult,
  type ConnectorClient,
  type UserTokenClient,
} from 'botframework-connector';
import { ReusedConnectorClients } from '../../src/teams/reused-connector-clients';

/** botbuilder's anonymous authentication (no app id), counting what it builds. */
class Counting extends BotFrameworkAuthentication {
  readonly inner = new ConfigurationBotFrameworkAuthentication({});
  clientsBuilt = 0;
  tokenClientsBuilt = 0;
  failNext = false;

  override authenticateRequest(
    activity: Activity,
    header: string,
  ): Promise<AuthenticateRequestResult> {
    return this.inner.authenticateRequest(activity, header).then((result) => ({
      ...result,
      connectorFactory: result.connectorFactory && this.counting(result.connectorFactory),
    }));
  }

  override authenticateStreamingRequest(): Promise<AuthenticateRequestResult> {
    throw new Error('not used');
  }

  override createConnectorFactory(claims: ClaimsIdentity): ConnectorFactory {
    return this.counting(this.inner.createConnectorFactory(claims));
  }

  override createUserTokenClient(claims: ClaimsIdentity): Promise<UserTokenClient> {
    this.tokenClientsBuilt++;
    return this.inner.createUserTokenClient(claims);
  }

  private counting(factory: ConnectorFactory): ConnectorFactory {
    const create = (serviceUrl: string, audience?: string): Promise<ConnectorClient> => {
      this.clientsBuilt++;
      if (this.failNext) {
        this.failNext = false;
        return Promise.reject(new Error('no credentials'));
      }
      return factory.create(serviceUrl, audience);
    };
    return new (class extends ConnectorFactory {
      create = create;
    })();
  }
}

const app = (id: string) => new ClaimsIdentity([{ type: 'aud', value: id }], true);

describe('ReusedConnectorClients', () => {
  it('builds one connector client per app, service URL and audience, however many turns ask', async () => {
    const counting = new Counting();
    const reused = new ReusedConnectorClients(counting);
    const a = await reused.createConnectorFactory(app('bot')).create('https://smba.one/', 'x');
    const b = await reused.createConnectorFactory(app('bot')).create('https://smba.one/', 'x');
    assert.equal(a, b);
    assert.equal(counting.clientsBuilt, 1);

    const otherUrl = await reused
      .createConnectorFactory(app('bot'))
      .create('https://smba.two/', 'x');
    const otherAudience = await reused
      .createConnectorFactory(app('bot'))
      .create('https://smba.one/', 'y');
    const otherApp = await reused
      .createConnectorFactory(app('other'))
      .create('https://smba.one/', 'x');
    assert.equal(new Set([a, otherUrl, otherAudience, otherApp]).size, 4);
    assert.equal(counting.clientsBuilt, 4);
  });

  it('shares the clients of incoming turns with proactive ones, and keeps the rest of the result', async () => {
    const counting = new Counting();
    const reused = new ReusedConnectorClients(counting);
    const activity = { type: 'message', serviceUrl: 'https://smba.one/', channelId: 'msteams' };
    const result = await reused.authenticateRequest(activity as Activity, '');
    const incoming = await result.connectorFactory?.create('https://smba.one/', result.audience);
    const proactive = await reused
      .createConnectorFactory(result.claimsIdentity)
      .create('https://smba.one/', result.audience);
    assert.ok(incoming);
    assert.equal(incoming, proactive);
    assert.equal(counting.clientsBuilt, 1);
    const direct = await counting.inner.authenticateRequest(activity as Activity, '');
    assert.equal(result.audience, direct.audience);
    assert.equal(result.callerId, direct.callerId);
  });

  it('builds again after a failed build, and one user-token client per app', async () => {
    const counting = new Counting();
    const reused = new ReusedConnectorClients(counting);
    counting.failNext = true;
    await assert.rejects(reused.createConnectorFactory(app('bot')).create('https://smba.one/'));
    await new Promise((resolve) => setImmediate(resolve));
    const client = await reused.createConnectorFactory(app('bot')).create('https://smba.one/');
    assert.ok(client);
    assert.equal(counting.clientsBuilt, 2);

    const t1 = await reused.createUserTokenClient(app('bot'));
    const t2 = await reused.createUserTokenClient(app('bot'));
    await reused.createUserTokenClient(app('other'));
    assert.equal(t1, t2);
    assert.equal(counting.tokenClientsBuilt, 2);
  });
});
