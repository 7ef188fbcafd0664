// botbuilder builds a new ConnectorClient (an Azure HTTP pipeline, its policies and serialisers)
// and a new UserTokenClient for every turn: every incoming activity and every proactive post or
// card update. That construction was a good part of a command's CPU. The clients keep no
// per-request state, so one per app id, service URL and audience serves every turn: the same
// credentials object, hence the same token cache, that a fresh client would have built again.
import {
  BotFrameworkAuthentication,
  ConnectorFactory,
  type AuthenticateRequestResult,
  type ClaimsIdentity,
  type ConnectorClient,
  type UserTokenClient,
} from 'botframework-connector';
import type { Activity } from 'botbuilder';
import { systemClock, type Clock } from '../core/clock';
import { withDirectActivityCalls } from './direct-activity-calls';

/** Service URLs come from activities: a few per deployment, but never an unbounded number. */
const MAX_CLIENTS = 64;

/** The claims that decide which app's credentials a client carries (see ConnectorFactoryImpl). */
const APP_CLAIMS = ['aud', 'appid', 'azp', 'ver'] as const;

export class ReusedConnectorClients extends BotFrameworkAuthentication {
  private readonly connectors = new BoundedCache<Promise<ConnectorClient>>(MAX_CLIENTS);
  private readonly tokenClients = new BoundedCache<Promise<UserTokenClient>>(MAX_CLIENTS);

  constructor(
    private readonly inner: BotFrameworkAuthentication,
    /** Paces the retries of the activity calls sent directly (direct-activity-calls.ts). */
    private readonly clock: Clock = systemClock,
  ) {
    super();
  }

  override async authenticateRequest(
    activity: Activity,
    authHeader: string,
  ): Promise<AuthenticateRequestResult> {
    const result = await this.inner.authenticateRequest(activity, authHeader);
    const factory = result.connectorFactory;
    return factory
      ? { ...result, connectorFactory: this.reusing(result.claimsIdentity, factory) }
      : result;
  }

  override async authenticateStreamingRequest(
    authHeader: string,
    channelIdHeader: string,
  ): Promise<AuthenticateRequestResult> {
    const result = await this.inner.authenticateStreamingRequest(authHeader, channelIdHeader);
    const factory = result.connectorFactory;
    return factory
      ? { ...result, connectorFactory: this.reusing(result.claimsIdentity, factory) }
      : result;
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.reusing(claimsIdentity, this.inner.createConnectorFactory(claimsIdentity));
  }

  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.tokenClients.get(appKey(claimsIdentity), () =>
      this.inner.createUserTokenClient(claimsIdentity),
    );
  }

  override createBotFrameworkClient(): ReturnType<
    BotFrameworkAuthentication['createBotFrameworkClient']
  > {
    return this.inner.createBotFrameworkClient();
  }

  override getOriginatingAudience(): string {
    return this.inner.getOriginatingAudience();
  }

  override authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    return this.inner.authenticateChannelRequest(authHeader);
  }

  private reusing(claimsIdentity: ClaimsIdentity, factory: ConnectorFactory): ConnectorFactory {
    return new ReusingFactory(this.connectors, appKey(claimsIdentity), factory, this.clock);
  }
}

/** A turn's connector factory whose clients are shared with every turn of the same app. */
class ReusingFactory extends ConnectorFactory {
  constructor(
    private readonly clients: BoundedCache<Promise<ConnectorClient>>,
    private readonly app: string,
    private readonly factory: ConnectorFactory,
    private readonly clock: Clock,
  ) {
    super();
  }

  override create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    return this.clients.get(JSON.stringify([this.app, serviceUrl, audience ?? null]), () =>
      this.factory
        .create(serviceUrl, audience)
        .then((client) => withDirectActivityCalls(client, serviceUrl, { clock: this.clock })),
    );
  }
}

function appKey(claimsIdentity: ClaimsIdentity): string {
  return JSON.stringify([
    claimsIdentity.isAuthenticated,
    ...APP_CLAIMS.map((claim) => claimsIdentity.getClaimValue(claim)),
  ]);
}

/** Keeps at most `max` entries, the oldest dropped first; a failed creation is not kept. */
class BoundedCache<T extends Promise<unknown>> {
  private readonly entries = new Map<string, T>();

  constructor(private readonly max: number) {}

  get(key: string, create: () => T): T {
    const found = this.entries.get(key);
    if (found) return found;
    const created = create();
    this.entries.set(key, created);
    created.catch(() => {
      if (this.entries.get(key) === created) this.entries.delete(key);
    });
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.max) break;
      this.entries.delete(oldest);
    }
    return created;
  }
}
