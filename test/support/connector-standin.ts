// A stand-in for the Bot Framework connector that Teams' service URL points to. It keeps every
// activity the bot sends or updates, so a test can read the thread as a person would see it.
import type { Person } from '../../src/core/model';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listenWithTestTls, type TlsListener } from './test-tls-server';

export interface ConnectorCall {
  method: 'POST' | 'PUT';
  conversationId: string;
  /** For a reply or an update: the activity it targets. */
  activityId?: string;
  activity: Record<string, unknown>;
}

interface ServedFile {
  bytes: Buffer;
  status?: number;
  delayMs?: number;
  /**
   * Sent in 16 KiB chunks without a Content-Length (chunked transfer, as a file host may), so the
   * client can only find the size by reading; how much went out is kept in `fileBytesSent`.
   */
  streamed?: boolean;
}

const STREAM_CHUNK = 16 * 1024;

/** A person as the connector lists them in a conversation (a TeamsChannelAccount). */
export interface ConversationMember {
  /** The channel account id, `29:…`. */
  id: string;
  name: string;
  /** The Entra object id. */
  aadObjectId: string;
  userPrincipalName?: string;
}

export class ConnectorStandin {
  readonly calls: ConnectorCall[] = [];
  /** `GET …/members/{userId}` as asked: conversation id and user id, decoded. */
  readonly memberLookups: { conversationId: string; userId: string }[] = [];
  /** conversation id (a channel or chat, never a thread) → its members. */
  private readonly members = new Map<string, ConversationMember[]>();
  private server: Server | undefined;
  private tls: TlsListener | undefined;
  private nextId = 1000;
  /**
   * HTTP status to answer the next N activity calls with, to test that card failures do not stop
   * a run; with `retryAfter`, a Retry-After header as Teams sends with a 429.
   */
  failNext: { status: number; times: number; retryAfter?: string } | undefined;
  /** The Authorization header of each activity call (post, reply, update), in order. */
  readonly authorizations: (string | undefined)[] = [];
  /** `GET /files/<name>`: what a Teams file attachment's downloadUrl would fetch. */
  private readonly files = new Map<string, ServedFile>();
  /** Names of the files fetched, in order. */
  readonly fileDownloads: string[] = [];
  /** Bytes of each streamed file written before the download ended or the client hung up. */
  readonly fileBytesSent = new Map<string, number>();
  /** `POST /v3/conversations` as asked: personal chats the bot opened, and with whom. */
  readonly openedChats: { conversationId?: string; memberIds: string[]; tenantId?: string }[] = [];
  /** Entra object ids of the people who have the app installed: only they can be messaged. */
  private readonly installedFor = new Set<string>();

  /** Listens on loopback, over HTTP, or over HTTPS with the test CA (as Teams' connector is). */
  async start(options: { tls?: boolean } = {}): Promise<string> {
    const handler = (req: IncomingMessage, res: ServerResponse): void => {
      const file = /^\/files\/([^/?]+)$/.exec(req.url ?? '');
      if (file && req.method === 'GET') {
        this.serveFile(decodeURIComponent(file[1] ?? ''), res);
        return;
      }
      void this.handle(req).then(
        ({ status, body, headers }) => {
          res.writeHead(status, { 'content-type': 'application/json', ...headers });
          res.end(JSON.stringify(body));
        },
        (error: unknown) => {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { code: 'ServiceError', message: String(error) } }));
        },
      );
    };
    if (options.tls) {
      const listener = await listenWithTestTls(handler);
      this.tls = listener;
      return `https://localhost:${listener.port}/`;
    }
    this.server = createServer(handler);
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/`;
  }

  async stop(): Promise<void> {
    await this.tls?.close();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }

  /** Activities posted (not updates), in order. */
  posted(): Record<string, unknown>[] {
    return this.calls.filter((c) => c.method === 'POST').map((c) => c.activity);
  }

  /** Every version of the card with this activity id: the post, then each update. */
  cardVersions(activityId: string): Record<string, unknown>[] {
    return this.calls
      .filter(
        (c) =>
          (c.method === 'POST' && c.activity.id === activityId) ||
          (c.method === 'PUT' && c.activityId === activityId),
      )
      .map((c) => cardOf(c.activity))
      .filter((card): card is Record<string, unknown> => card !== undefined);
  }

  /**
   * Offers `bytes` at `/files/<name>` and returns its URL. `delayMs` holds the answer back (a slow
   * file host); `status` other than 200 answers with that status and no body.
   */
  offerFile(name: string, bytes: string | Buffer, options: Omit<ServedFile, 'bytes'> = {}): string {
    this.files.set(name, { bytes: Buffer.from(bytes), ...options });
    const { port } = this.server?.address() as AddressInfo;
    return `http://127.0.0.1:${port}/files/${encodeURIComponent(name)}`;
  }

  /** Makes the person a member of the channel or chat, as adding them to the team would. */
  addMember(conversationId: string, member: ConversationMember): void {
    const list = this.members.get(conversationId) ?? [];
    list.push(member);
    this.members.set(conversationId, list);
  }

  /** Puts people in a conversation as Teams knows them: their own channel account ids. */
  joinTeam(conversationId: string, people: readonly Person[]): void {
    for (const p of people) {
      this.addMember(conversationId, {
        id: p.channelAccountId ?? '',
        name: p.name,
        aadObjectId: p.id,
        userPrincipalName: p.upn,
      });
    }
  }

  texts(): string[] {
    return this.posted()
      .map((a) => a.text)
      .filter((t): t is string => typeof t === 'string');
  }

  async waitFor<T>(probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = probe();
      if (found !== undefined && found !== false) return found;
      if (Date.now() > deadline)
        throw new Error('Timed out waiting for the connector to receive the expected activity');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  private serveFile(name: string, res: ServerResponse): void {
    this.fileDownloads.push(name);
    const file = this.files.get(name);
    const answer = () => {
      if (!file || (file.status ?? 200) !== 200) {
        res.writeHead(file?.status ?? 404);
        res.end();
        return;
      }
      if (file.streamed) {
        this.streamFile(name, file.bytes, res);
        return;
      }
      res.writeHead(200, {
        'content-type': 'text/csv',
        'content-length': String(file.bytes.byteLength),
      });
      res.end(file.bytes);
    };
    if (file?.delayMs) setTimeout(answer, file.delayMs).unref();
    else answer();
  }

  /** Writes one chunk at a time, each after the previous one was taken, until the client leaves. */
  private streamFile(name: string, bytes: Buffer, res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/csv' });
    let offset = 0;
    const next = (): void => {
      if (res.destroyed || offset >= bytes.byteLength) {
        res.end();
        return;
      }
      const chunk = bytes.subarray(offset, offset + STREAM_CHUNK);
      offset += chunk.byteLength;
      this.fileBytesSent.set(name, offset);
      res.write(chunk, () => setTimeout(next, 1));
    };
    next();
  }

  /** Installs the app for the person (Entra object id), as a user or an admin policy would. */
  installApp(aadObjectId: string): void {
    this.installedFor.add(aadObjectId.toLowerCase());
  }

  private async handle(
    req: IncomingMessage,
  ): Promise<{ status: number; body: unknown; headers?: Record<string, string> }> {
    if ((req.url ?? '') === '/v3/conversations' && req.method === 'POST') {
      return this.openChat(JSON.parse(await readBody(req)) as Record<string, unknown>);
    }
    const member = /^\/v3\/conversations\/([^/]+)\/members\/([^/?]+)$/.exec(req.url ?? '');
    if (member && req.method === 'GET') {
      return this.getMember(
        decodeURIComponent(member[1] ?? ''),
        decodeURIComponent(member[2] ?? ''),
      );
    }
    const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(req.url ?? '');
    if (!match || (req.method !== 'POST' && req.method !== 'PUT')) {
      return {
        status: 404,
        body: { error: { code: 'NotFound', message: `${req.method} ${req.url}` } },
      };
    }
    this.authorizations.push(req.headers.authorization);
    if (this.failNext && this.failNext.times > 0) {
      this.failNext.times--;
      const { status, retryAfter } = this.failNext;
      return {
        status,
        body: {
          error: {
            code: status === 429 ? 'TooManyRequests' : 'ServiceUnavailable',
            message: 'injected',
          },
        },
        headers: retryAfter === undefined ? {} : { 'retry-after': retryAfter },
      };
    }
    const activity = JSON.parse(await readBody(req)) as Record<string, unknown>;
    const conversationId = decodeURIComponent(match[1] ?? '');
    const activityId = match[2] ? decodeURIComponent(match[2]) : undefined;
    if (req.method === 'PUT') {
      this.calls.push({ method: 'PUT', conversationId, activityId, activity });
      return { status: 200, body: { id: activityId } };
    }
    const id = String(this.nextId++);
    this.calls.push({ method: 'POST', conversationId, activityId, activity: { ...activity, id } });
    return { status: 201, body: { id } };
  }

  /**
   * POST /v3/conversations: opens the personal chat with one member, as Teams does only when the
   * app is installed for them (403 otherwise). The same person always gets the same chat.
   */
  private openChat(body: Record<string, unknown>): { status: number; body: unknown } {
    const members = Array.isArray(body.members) ? (body.members as { id?: unknown }[]) : [];
    const memberIds = members.map((m) => String(m.id ?? ''));
    const tenantId = typeof body.tenantId === 'string' ? body.tenantId : undefined;
    const [member] = memberIds;
    if (body.isGroup === true || memberIds.length !== 1 || member === undefined || !tenantId) {
      this.openedChats.push({ memberIds, tenantId });
      return {
        status: 400,
        body: { error: { code: 'BadArgument', message: 'One member and a tenant id.' } },
      };
    }
    if (!this.installedFor.has(member.toLowerCase())) {
      this.openedChats.push({ memberIds, tenantId });
      return {
        status: 403,
        body: {
          error: {
            code: 'Forbidden',
            message: 'The bot is not part of the conversation roster.',
          },
        },
      };
    }
    const conversationId = `a:personal-${member.toLowerCase()}`;
    this.openedChats.push({ conversationId, memberIds, tenantId });
    return { status: 201, body: { id: conversationId } };
  }

  /**
   * GET /v3/conversations/{id}/members/{userId}: the user may be named by channel account id or
   * Entra object id. A thread (`…;messageid=…`) is not a conversation the connector lists members
   * of, so it is unknown like any other id.
   */
  private getMember(conversationId: string, userId: string): { status: number; body: unknown } {
    this.memberLookups.push({ conversationId, userId });
    const members = this.members.get(conversationId);
    if (!members) {
      return {
        status: 404,
        body: { error: { code: 'ConversationNotFound', message: 'Conversation not found.' } },
      };
    }
    const wanted = userId.toLowerCase();
    const found = members.find((m) => m.id === userId || m.aadObjectId.toLowerCase() === wanted);
    if (!found) {
      return {
        status: 404,
        body: {
          error: {
            code: 'MemberNotFoundInConversation',
            message: 'The member was not found in the conversation.',
          },
        },
      };
    }
    return {
      status: 200,
      body: {
        id: found.id,
        name: found.name,
        aadObjectId: found.aadObjectId,
        objectId: found.aadObjectId,
        userPrincipalName: found.userPrincipalName,
        userRole: 'user',
      },
    };
  }
}

export function cardOf(activity: Record<string, unknown>): Record<string, unknown> | undefined {
  const attachments = activity.attachments;
  if (!Array.isArray(attachments)) return undefined;
  const card = attachments.find(
    (a: { contentType?: string }) => a.contentType === 'application/vnd.microsoft.card.adaptive',
  ) as { content?: Record<string, unknown> } | undefined;
  return card?.content;
}

/**
 * The line of a card's message that @mentions the approvers, as Teams reads it: the card's
 * `approver-call` TextBlock and the card's own mention entities.
 */
export function approverCallOf(
  activity: Record<string, unknown> | undefined,
): { text: string; entities?: unknown[] } | undefined {
  const card = activity ? cardOf(activity) : undefined;
  const body = Array.isArray(card?.body) ? (card.body as { id?: string; text?: string }[]) : [];
  const line = body.find((element) => element.id === 'approver-call');
  if (!line || typeof line.text !== 'string') return undefined;
  const entities = (card?.msteams as { entities?: unknown[] } | undefined)?.entities;
  return { text: line.text, ...(entities ? { entities } : {}) };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
