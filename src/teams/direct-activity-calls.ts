// The three connector calls every request makes (reply in a thread, post in a conversation, update
// a card) sent as plain JSON over a kept-alive HTTPS connection. botbuilder sends them through an
// Azure HTTP pipeline whose schema-driven serialisers and policy chain cost more CPU than the rest
// of a command's Teams work together. Everything else a ConnectorClient does (opening personal
// chats, reading members, attachments) still goes through botbuilder's own client.
//
// What the pipeline did for these calls is kept: the same credentials sign each call (the same
// token cache), and a throttled (429 with Retry-After) or failing (5xx, network) call is retried by
// Revoke's one retry helper, 3 times at most like the pipeline. With a proxy configured
// (HTTPS_PROXY, HTTP_PROXY, ALL_PROXY), which botbuilder's pipeline honours, the SDK path is kept.
import { request as httpRequest, Agent as HttpAgent, type IncomingMessage } from 'node:http';
import { request as httpsRequest, Agent as HttpsAgent } from 'node:https';
import type { ConnectorClient } from 'botframework-connector';
import type { Clock } from '../core/clock';
import { DirectoryError } from '../core/errors';
import { withRetry, type RetryPolicy } from '../core/retry';

/** What botbuilder's pipeline allowed: 3 retries, backing off from 1 s, at most 64 s apart. */
const RETRY: Partial<RetryPolicy> = {
  maxAttempts: 4,
  baseDelayMs: 1_000,
  maxDelayMs: 64_000,
  deadlineMs: 180_000,
};

/** A connector that does not answer within this long is treated as a network failure. */
const TIMEOUT_MS = 60_000;

/** Answers are a resource id or an error body: anything longer is not a connector's. */
const MAX_ANSWER_BYTES = 1 << 20;

const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY'];

/** The connector's answer to a call that failed: its HTTP status, as botbuilder's errors carry it. */
export class ConnectorCallError extends Error {
  constructor(
    message: string,
    readonly statusCode: number | undefined,
    readonly code: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ConnectorCallError';
  }
}

/** How a call is signed: botbuilder's ServiceClientCredentials (AppCredentials or anonymous). */
interface Signer {
  signRequest(resource: unknown): Promise<unknown>;
}

interface Answer {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface DirectActivityCallsOptions {
  clock: Clock;
  env?: NodeJS.ProcessEnv;
}

/**
 * `client` with replyToActivity, sendToConversation and updateActivity sent directly; every other
 * operation is the client's own. `client` itself is not changed.
 */
export function withDirectActivityCalls(
  client: ConnectorClient,
  serviceUrl: string,
  options: DirectActivityCallsOptions,
): ConnectorClient {
  const env = options.env ?? process.env;
  if (PROXY_VARIABLES.some((name) => (env[name] ?? '') !== '')) return client;
  let base: URL;
  try {
    base = new URL(serviceUrl.endsWith('/') ? serviceUrl : `${serviceUrl}/`);
  } catch {
    return client;
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:') return client;
  // Whatever botbuilder signs its own calls with signs these; without it, its path is kept.
  const signer = client.credentials as unknown as Partial<Signer> | undefined;
  if (typeof signer?.signRequest !== 'function') return client;
  const calls = new DirectCalls(base, signer as Signer, options.clock);
  const conversations = Object.create(client.conversations) as ConnectorClient['conversations'];
  Object.assign(conversations, {
    replyToActivity: (conversationId: string, activityId: string, activity: object) =>
      calls.send('POST', activityPath(conversationId, activityId), activity),
    sendToConversation: (conversationId: string, activity: object) =>
      calls.send('POST', activityPath(conversationId), activity),
    updateActivity: (conversationId: string, activityId: string, activity: object) =>
      calls.send('PUT', activityPath(conversationId, activityId), activity),
  });
  const direct = Object.create(client) as ConnectorClient;
  Object.defineProperty(direct, 'conversations', { value: conversations });
  return direct;
}

function activityPath(conversationId: string, activityId?: string): string {
  const path = `v3/conversations/${encodeURIComponent(conversationId)}/activities`;
  return activityId === undefined ? path : `${path}/${encodeURIComponent(activityId)}`;
}

class DirectCalls {
  private readonly agent: HttpAgent | HttpsAgent;

  constructor(
    private readonly base: URL,
    private readonly signer: Signer,
    private readonly clock: Clock,
  ) {
    this.agent =
      base.protocol === 'https:'
        ? new HttpsAgent({ keepAlive: true })
        : new HttpAgent({ keepAlive: true });
  }

  async send(method: 'POST' | 'PUT', path: string, activity: object): Promise<unknown> {
    const url = new URL(path, this.base);
    // Sent as the string it is: no copy of the card into a Buffer for each call.
    const body = JSON.stringify(activity);
    try {
      return await withRetry(() => this.once(method, url, body), {
        clock: this.clock,
        policy: RETRY,
      });
    } catch (error) {
      // Retries are decided on DirectoryErrors; the caller gets the connector's own failure.
      throw error instanceof DirectoryError && error.cause instanceof ConnectorCallError
        ? error.cause
        : error;
    }
  }

  private async once(method: string, url: URL, body: string): Promise<unknown> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(body, 'utf8')),
    };
    await this.signer.signRequest({
      headers: { set: (name: string, value: string) => (headers[name.toLowerCase()] = value) },
    });
    let answer: Answer;
    try {
      answer = await this.exchange(method, url, headers, body);
    } catch (error) {
      const failure = new ConnectorCallError(
        `The Teams connector could not be reached (${method} ${url.pathname}): ${describe(error)}`,
        undefined,
        (error as { code?: string }).code,
        { cause: error },
      );
      throw new DirectoryError('transient', failure.message, { cause: failure });
    }
    if (answer.status >= 200 && answer.status < 300) return parseAnswer(answer.body);
    const { code, message } = errorOf(answer.body);
    const failure = new ConnectorCallError(
      `The Teams connector answered ${answer.status}${code ? ` ${code}` : ''} to ${method} ${url.pathname}${message ? `: ${message}` : ''}`,
      answer.status,
      code,
    );
    throw new DirectoryError(kindOf(answer.status), failure.message, {
      cause: failure,
      retryAfterMs: retryAfterMs(answer),
    });
  }

  private exchange(
    method: string,
    url: URL,
    headers: Record<string, string>,
    body: string,
  ): Promise<Answer> {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<Answer>((resolve, reject) => {
      const req = send(url, { method, headers, agent: this.agent, timeout: TIMEOUT_MS }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_ANSWER_BYTES) {
            res.destroy(new Error('the answer is too large'));
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS / 1_000} s`)));
      req.on('error', reject);
      req.end(body, 'utf8');
    });
  }
}

/** As botbuilder's pipeline decides: throttling and server faults are worth another try. */
function kindOf(status: number): 'throttled' | 'transient' | 'rejected' {
  if (status === 429) return 'throttled';
  if (status === 408 || (status >= 500 && status !== 501 && status !== 505)) return 'transient';
  return 'rejected';
}

function retryAfterMs(answer: Answer): number | undefined {
  const ms = Number(answer.headers['retry-after-ms'] ?? answer.headers['x-ms-retry-after-ms']);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const header = answer.headers['retry-after'];
  if (typeof header !== 'string' || header === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1_000;
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}

function parseAnswer(body: string): unknown {
  if (body.trim() === '') return {};
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return {};
  }
}

/** The connector's `{ error: { code, message } }`, shortened: it reaches logs, never a card. */
function errorOf(body: string): { code?: string; message?: string } {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown } };
    const code = typeof parsed.error?.code === 'string' ? parsed.error.code : undefined;
    const message =
      typeof parsed.error?.message === 'string' ? parsed.error.message.slice(0, 300) : undefined;
    return { code, message };
  } catch {
    return {};
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
