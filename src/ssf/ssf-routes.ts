// The transmitter's HTTP endpoints on the bot's server (SSF 1.0 §7 and §8): its metadata and
// JWKS, open to anyone, and stream management, each call authenticated by the management client's
// bearer token (SSF_STREAM_CLIENTS) and limited to that client's own streams.
import { randomUUID } from 'node:crypto';
import type { Request, Response, Server } from 'restify';
import type { Logger } from '../core/ports';
import { subjectKey, type SubjectId } from '../core/saas/ssf-port';
import type { SsfStream, SsfStreamStore, StreamStatus } from '../core/saas/ssf-streams';
import type { StreamClient } from './ssf-settings';
import { eventsDelivered, PUSH_METHOD, type SsfTransmitter } from './transmitter';
import { REVOCATION_EVENTS } from '../core/saas/ssf-port';

export const SSF_PATHS = {
  metadata: '/.well-known/ssf-configuration',
  jwks: '/ssf/jwks',
  streams: '/ssf/streams',
  status: '/ssf/status',
  addSubject: '/ssf/subjects/add',
  removeSubject: '/ssf/subjects/remove',
  verify: '/ssf/verify',
} as const;

const STATUSES: readonly StreamStatus[] = ['enabled', 'paused', 'disabled'];

/** A refusal the receiver reads: status and a short reason, never a secret. */
class HttpRefusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Body = Record<string, unknown>;

export function transmitterMetadata(issuer: string): Record<string, unknown> {
  return {
    spec_version: '1_0',
    issuer,
    jwks_uri: `${issuer}${SSF_PATHS.jwks}`,
    delivery_methods_supported: [PUSH_METHOD],
    configuration_endpoint: `${issuer}${SSF_PATHS.streams}`,
    status_endpoint: `${issuer}${SSF_PATHS.status}`,
    add_subject_endpoint: `${issuer}${SSF_PATHS.addSubject}`,
    remove_subject_endpoint: `${issuer}${SSF_PATHS.removeSubject}`,
    verification_endpoint: `${issuer}${SSF_PATHS.verify}`,
    authorization_schemes: [{ spec_urn: 'urn:ietf:rfc:6750' }],
    default_subjects: 'ALL',
  };
}

export function mountSsfRoutes(server: Server, transmitter: SsfTransmitter, logger: Logger): void {
  const { issuer } = transmitter.settings;
  const log = logger.child({ component: 'ssf' });

  // A GET or DELETE without a body may come with neither Content-Length nor Content-Type; the
  // server's JSON body parser would refuse it (415) as a body of unknown type.
  server.pre((req: Request, _res: Response, next: () => void) => {
    const bodiless = req.method === 'GET' || req.method === 'DELETE';
    const path = req.url ?? '';
    if (
      bodiless &&
      path.startsWith('/ssf/') &&
      req.headers['content-length'] === undefined &&
      req.headers['transfer-encoding'] === undefined
    )
      req.headers['content-length'] = '0';
    next();
  });

  server.get(SSF_PATHS.metadata, async (_req: Request, res: Response) => {
    res.send(200, transmitterMetadata(issuer));
  });
  server.get(SSF_PATHS.jwks, async (_req: Request, res: Response) => {
    const keys = await transmitter.signingKeys();
    res.header('cache-control', 'max-age=300');
    res.send(200, keys.jwks);
  });

  const managed = (
    handler: (client: StreamClient, streams: SsfStreamStore, req: Request) => Promise<Reply>,
  ) => {
    return async (req: Request, res: Response) => {
      try {
        const client = authenticate(transmitter, req);
        const streams = transmitter.streamStore;
        if (!streams) throw new HttpRefusal(503, 'Streams are not available yet.');
        const reply = await handler(client, streams, req);
        if (reply.body === undefined) res.send(reply.status);
        else res.send(reply.status, reply.body);
      } catch (error) {
        if (error instanceof HttpRefusal) {
          if (error.status === 401) res.header('www-authenticate', 'Bearer');
          res.send(error.status, { error: error.message });
          return;
        }
        log.error('ssf management call failed', {
          path: req.path(),
          message: error instanceof Error ? error.message : String(error),
        });
        res.send(500, { error: 'The transmitter failed; try again.' });
      }
    };
  };

  const config = (s: SsfStream) => streamConfiguration(issuer, s);

  server.post(
    SSF_PATHS.streams,
    managed(async (client, streams, req) => {
      const body = bodyOf(req);
      const now = new Date().toISOString();
      const stream: SsfStream = {
        id: randomUUID(),
        client: client.name,
        audience: client.audience,
        ...receiverSupplied(body),
        status: 'enabled',
        excludedSubjects: [],
        createdAt: now,
        updatedAt: now,
      };
      await streams.createStream(stream);
      log.info('ssf stream created', { client: client.name, streamId: stream.id });
      return { status: 201, body: config(stream) };
    }),
  );
  server.get(
    SSF_PATHS.streams,
    managed(async (client, streams, req) => {
      const id = queryOf(req).get('stream_id');
      if (id === null) {
        const mine = (await streams.listStreams()).filter((s) => s.client === client.name);
        return { status: 200, body: mine.map(config) };
      }
      return { status: 200, body: config(await ownStream(streams, client, id)) };
    }),
  );
  server.patch(
    SSF_PATHS.streams,
    managed(async (client, streams, req) => {
      const body = bodyOf(req);
      const stream = await ownStream(streams, client, streamIdOf(body));
      const next = {
        ...stream,
        ...receiverSupplied(body, stream),
        updatedAt: new Date().toISOString(),
      };
      if (!(await streams.saveStream(next))) throw new HttpRefusal(404, 'No such stream.');
      return { status: 200, body: config(next) };
    }),
  );
  server.put(
    SSF_PATHS.streams,
    managed(async (client, streams, req) => {
      const body = bodyOf(req);
      const stream = await ownStream(streams, client, streamIdOf(body));
      // A replacement: what the body does not name goes back to its default.
      const { description: _dropped, ...kept } = stream;
      const next = { ...kept, ...receiverSupplied(body), updatedAt: new Date().toISOString() };
      if (!(await streams.saveStream(next))) throw new HttpRefusal(404, 'No such stream.');
      return { status: 200, body: config(next) };
    }),
  );
  server.del(
    SSF_PATHS.streams,
    managed(async (client, streams, req) => {
      const stream = await ownStream(streams, client, queryOf(req).get('stream_id'));
      await streams.deleteStream(stream.id);
      log.info('ssf stream deleted', { client: client.name, streamId: stream.id });
      return { status: 204 };
    }),
  );
  server.get(
    SSF_PATHS.status,
    managed(async (client, streams, req) => {
      const stream = await ownStream(streams, client, queryOf(req).get('stream_id'));
      return { status: 200, body: statusOf(stream) };
    }),
  );
  server.post(
    SSF_PATHS.status,
    managed(async (client, streams, req) => {
      const body = bodyOf(req);
      const stream = await ownStream(streams, client, streamIdOf(body));
      const status = body.status;
      if (typeof status !== 'string' || !STATUSES.includes(status as StreamStatus))
        throw new HttpRefusal(400, `status must be one of ${STATUSES.join(', ')}.`);
      const reason = typeof body.reason === 'string' ? body.reason.slice(0, 200) : undefined;
      const next = {
        ...stream,
        status: status as StreamStatus,
        reason,
        updatedAt: new Date().toISOString(),
      };
      await streams.saveStream(next);
      return { status: 200, body: statusOf(next) };
    }),
  );
  server.post(
    SSF_PATHS.addSubject,
    managed(async (client, streams, req) => {
      const body = bodyOf(req);
      const stream = await ownStream(streams, client, streamIdOf(body));
      const key = subjectKey(subjectOf(body));
      const next = {
        ...stream,
        excludedSubjects: stream.excludedSubjects.filter((k) => k !== key),
      };
      await streams.saveStream(next);
      return { status: 200 };
    }),
  );
  server.post(
    SSF_PATHS.removeSubject,
    managed(async (client, streams, req) => {
      const body = bodyOf(req);
      const stream = await ownStream(streams, client, streamIdOf(body));
      const key = subjectKey(subjectOf(body));
      const excluded = stream.excludedSubjects.includes(key)
        ? stream.excludedSubjects
        : [...stream.excludedSubjects, key];
      await streams.saveStream({ ...stream, excludedSubjects: excluded });
      return { status: 204 };
    }),
  );
  server.post(
    SSF_PATHS.verify,
    managed(async (client, streams, req) => {
      const body = bodyOf(req);
      const stream = await ownStream(streams, client, streamIdOf(body));
      const state = typeof body.state === 'string' ? body.state.slice(0, 256) : undefined;
      // Answered first (204), then sent: the receiver expects the event after the answer.
      setImmediate(() => {
        transmitter.sendVerification(stream.id, state).catch((error: unknown) =>
          log.warn('ssf verification event not delivered', {
            streamId: stream.id,
            message: error instanceof Error ? error.message : String(error),
          }),
        );
      });
      return { status: 204 };
    }),
  );
}

interface Reply {
  status: number;
  body?: unknown;
}

export function streamConfiguration(issuer: string, s: SsfStream): Record<string, unknown> {
  return {
    stream_id: s.id,
    iss: issuer,
    aud: s.audience,
    delivery: { method: PUSH_METHOD, endpoint_url: s.endpointUrl },
    events_supported: [...REVOCATION_EVENTS],
    events_requested: s.eventsRequested,
    events_delivered: eventsDelivered(s.eventsRequested),
    ...(s.description === undefined ? {} : { description: s.description }),
  };
}

function statusOf(s: SsfStream): Record<string, unknown> {
  return { stream_id: s.id, status: s.status, ...(s.reason ? { reason: s.reason } : {}) };
}

function authenticate(transmitter: SsfTransmitter, req: Request): StreamClient {
  const header = req.header('authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  const client = match?.[1] ? transmitter.clientForToken(match[1]) : undefined;
  if (!client) throw new HttpRefusal(401, 'A valid bearer token is required.');
  return client;
}

/** Another client's stream is answered as missing: its existence is not the caller's to learn. */
async function ownStream(
  streams: SsfStreamStore,
  client: StreamClient,
  id: string | null | undefined,
): Promise<SsfStream> {
  if (!id) throw new HttpRefusal(400, 'stream_id is required.');
  const stream = await streams.getStream(id);
  if (!stream || stream.client !== client.name) throw new HttpRefusal(404, 'No such stream.');
  return stream;
}

/** The properties a receiver sets (SSF 1.0 §8.1.1): delivery, events_requested, description. */
function receiverSupplied(
  body: Body,
  current?: SsfStream,
): Pick<SsfStream, 'endpointUrl' | 'eventsRequested' | 'description'> {
  const delivery = body.delivery as Body | undefined;
  if (delivery === undefined && current)
    return { endpointUrl: current.endpointUrl, ...eventsAndDescription(body, current) };
  if (typeof delivery !== 'object' || delivery === null)
    throw new HttpRefusal(400, 'delivery is required.');
  if (delivery.method !== PUSH_METHOD)
    throw new HttpRefusal(
      400,
      `delivery.method must be ${PUSH_METHOD} (push): poll is not offered.`,
    );
  if (delivery.authorization_header !== undefined)
    throw new HttpRefusal(
      400,
      'delivery.authorization_header is not accepted: Revoke keeps no secret in its database. Configure the push token for this client in SSF_STREAM_CLIENTS.',
    );
  const url = delivery.endpoint_url;
  if (typeof url !== 'string' || !isHttpsUrl(url))
    throw new HttpRefusal(400, 'delivery.endpoint_url must be an https URL.');
  return { endpointUrl: url, ...eventsAndDescription(body, current) };
}

function eventsAndDescription(
  body: Body,
  current?: SsfStream,
): Pick<SsfStream, 'eventsRequested' | 'description'> {
  const requested = body.events_requested ?? current?.eventsRequested ?? [...REVOCATION_EVENTS];
  if (!Array.isArray(requested) || !requested.every((e) => typeof e === 'string'))
    throw new HttpRefusal(400, 'events_requested must be a list of event type URIs.');
  const description = body.description ?? current?.description;
  if (description !== undefined && typeof description !== 'string')
    throw new HttpRefusal(400, 'description must be a string.');
  return {
    eventsRequested: requested as string[],
    ...(description === undefined ? {} : { description: description.slice(0, 500) }),
  };
}

function subjectOf(body: Body): SubjectId {
  const subject = body.subject as Body | undefined;
  if (subject?.format === 'email' && typeof subject.email === 'string')
    return { format: 'email', email: subject.email };
  if (subject?.format === 'opaque' && typeof subject.id === 'string')
    return { format: 'opaque', id: subject.id };
  if (
    subject?.format === 'iss_sub' &&
    typeof subject.iss === 'string' &&
    typeof subject.sub === 'string'
  )
    return { format: 'iss_sub', iss: subject.iss, sub: subject.sub };
  throw new HttpRefusal(400, 'subject must be an email, iss_sub or opaque subject identifier.');
}

function bodyOf(req: Request): Body {
  const body: unknown = req.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new HttpRefusal(400, 'The body must be a JSON object.');
  return body as Body;
}

function streamIdOf(body: Body): string | undefined {
  return typeof body.stream_id === 'string' ? body.stream_id : undefined;
}

function queryOf(req: Request): URLSearchParams {
  return new URL(req.url ?? '/', 'http://localhost').searchParams;
}

function isHttpsUrl(text: string): boolean {
  try {
    return new URL(text).protocol === 'https:';
  } catch {
    return false;
  }
}
