// Revoke as an SSF 1.0 transmitter: the receivers (static ones from SSF_RECEIVERS and the streams
// receivers created through the management API), the SETs signed for them (RFC 8417, `typ`
// secevent+jwt) and pushed (RFC 8935). The core reaches it through the SharedSignals port; the
// management endpoints (ssf-routes.ts) through the methods beyond it.
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { DirectoryError } from '../core/errors';
import type { Clock } from '../core/clock';
import {
  REVOCATION_EVENTS,
  SSF_EVENTS,
  type SetClaims,
  type SharedSignals,
  type SsfReceiver,
} from '../core/saas/ssf-port';
import type { SsfStream, SsfStreamStore } from '../core/saas/ssf-streams';
import { pushSet, type PushTarget } from './push-delivery';
import { loadSigningKeys, type SigningKeys } from './signing-keys';
import type { SsfSettings, StaticReceiver, StreamClient } from './ssf-settings';

/** The only delivery method offered: RFC 8935 push. */
export const PUSH_METHOD = 'urn:ietf:rfc:8935';

interface Destination {
  receiver: SsfReceiver;
  push: PushTarget;
  audience: string;
}

export interface TransmitterOptions {
  clock: Clock;
  /** Tests only. */
  fetch?: typeof fetch;
}

export class SsfTransmitter implements SharedSignals {
  private streams: SsfStreamStore | undefined;
  private keys: Promise<SigningKeys> | undefined;

  constructor(
    readonly settings: SsfSettings,
    private readonly options: TransmitterOptions,
  ) {}

  /** The store's streams; until set (the store opens after the connectors), static ones only. */
  useStreams(streams: SsfStreamStore): this {
    this.streams = streams;
    return this;
  }

  get streamStore(): SsfStreamStore | undefined {
    return this.streams;
  }

  signingKeys(): Promise<SigningKeys> {
    this.keys ??= loadSigningKeys(this.settings.signingKeyFile, this.settings.previousKeyFiles);
    // A failed load is tried again next time (a key file being replaced during a rotation).
    this.keys.catch(() => (this.keys = undefined));
    return this.keys;
  }

  async receivers(): Promise<SsfReceiver[]> {
    const fixed = this.settings.receivers.map((r) => staticDestination(r).receiver);
    const streams = (await this.streams?.listStreams()) ?? [];
    return [
      ...fixed,
      ...streams.flatMap((s) => {
        const client = this.client(s.client);
        return client ? [streamDestination(s, client).receiver] : [];
      }),
    ];
  }

  async receiver(id: string): Promise<SsfReceiver | undefined> {
    return (await this.destination(id))?.receiver;
  }

  async deliver(receiverId: string, claims: SetClaims): Promise<{ acknowledgedAt: Date }> {
    const destination = await this.destination(receiverId);
    if (!destination)
      throw new DirectoryError('not_found', `No Shared Signals receiver ${receiverId}.`);
    const jwt = await this.sign(claims, destination.audience);
    await pushSet(destination.push, jwt, {
      timeoutMs: this.settings.pushTimeoutMs,
      fetch: this.options.fetch,
    });
    return { acknowledgedAt: this.options.clock.now() };
  }

  /**
   * An SSF verification event (SSF 1.0 §8.1.4): the subject is the stream, `state` echoes the
   * receiver's. The doctor sends one unasked to check each receiver is reachable.
   */
  async sendVerification(receiverId: string, state?: string): Promise<{ acknowledgedAt: Date }> {
    return this.deliver(receiverId, {
      jti: randomUUID(),
      iat: Math.floor(this.options.clock.now().getTime() / 1000),
      sub_id: { format: 'opaque', id: receiverId },
      events: { [SSF_EVENTS.verification]: state === undefined ? {} : { state } },
    });
  }

  async sign(claims: SetClaims, audience: string): Promise<string> {
    const { SignJWT } = await import('jose');
    const keys = await this.signingKeys();
    return new SignJWT({ ...claims, iss: this.settings.issuer, aud: audience })
      .setProtectedHeader({ alg: keys.alg, kid: keys.kid, typ: 'secevent+jwt' })
      .sign(keys.privateKey);
  }

  /** The management client a bearer token belongs to; compared in constant time. */
  clientForToken(token: string): StreamClient | undefined {
    const presented = digest(token);
    return this.settings.clients.find((c) => timingSafeEqual(digest(c.token), presented));
  }

  client(name: string): StreamClient | undefined {
    return this.settings.clients.find((c) => c.name === name);
  }

  private async destination(id: string): Promise<Destination | undefined> {
    const fixed = this.settings.receivers.find((r) => r.name === id);
    if (fixed) return staticDestination(fixed);
    const stream = await this.streams?.getStream(id);
    const client = stream && this.client(stream.client);
    return stream && client ? streamDestination(stream, client) : undefined;
  }
}

/** events_delivered: what the receiver asked for that Revoke sends (all of them by default). */
export function eventsDelivered(requested: readonly string[] | undefined): string[] {
  if (requested === undefined) return [...REVOCATION_EVENTS];
  return REVOCATION_EVENTS.filter((e) => requested.includes(e));
}

function staticDestination(r: StaticReceiver): Destination {
  return {
    receiver: {
      id: r.name,
      name: r.name,
      events: eventsDelivered(r.events),
      subjectFormat: r.subjectFormat,
      subjectIssuer: r.subjectIssuer,
      status: 'enabled',
    },
    push: { name: r.name, url: r.pushUrl, token: r.pushToken },
    audience: r.audience,
  };
}

function streamDestination(s: SsfStream, client: StreamClient): Destination {
  return {
    receiver: {
      id: s.id,
      name: client.name,
      events: eventsDelivered(s.eventsRequested),
      subjectFormat: client.subjectFormat,
      subjectIssuer: client.subjectIssuer,
      status: s.status,
      excludedSubjects: s.excludedSubjects,
    },
    push: { name: client.name, url: s.endpointUrl, token: client.pushToken },
    audience: s.audience,
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
