// The HTTP endpoint Teams (through Azure Bot Service) posts to. Bodies are capped and must be
// JSON; the Bot Framework adapter authenticates each request before the bot sees it.
import * as restify from 'restify';
import type { ActivityHandler } from 'botbuilder';
import type { RevokeCloudAdapter } from './revoke-cloud-adapter';
import type { Logger } from '../core/ports';
import type { ReadinessProbe } from '../ops/readiness';

export const MAX_BODY_BYTES = 256 * 1024;

export interface HttpServerOptions {
  adapter: RevokeCloudAdapter;
  bot: ActivityHandler;
  logger: Logger;
  /** Answers /readyz; without it /readyz says ready whenever the process is up. */
  readiness?: ReadinessProbe;
}

export function createHttpServer({
  adapter,
  bot,
  logger,
  readiness,
}: HttpServerOptions): restify.Server {
  const server = restify.createServer({ name: 'revoke', handleUncaughtExceptions: false });
  server.use(
    restify.plugins.bodyParser({
      maxBodySize: MAX_BODY_BYTES,
      mapParams: false,
      rejectUnknown: true,
    }),
  );

  server.post('/api/messages', async (req, res) => {
    if (
      !req.is('json') ||
      typeof req.body !== 'object' ||
      req.body === null ||
      Array.isArray(req.body)
    ) {
      res.send(400, { error: 'The body must be a JSON activity.' });
      return;
    }
    // botbuilder answers an activity it cannot route with a 500, as if the bot had failed.
    if (!isRoutableActivity(req.body)) {
      res.send(400, { error: 'The body must be a Bot Framework activity.' });
      return;
    }
    const authorization = req.header('authorization', '');
    const answer = await adapter.processBody(
      req.body as Record<string, unknown>,
      authorization,
      (context) => bot.run(context),
    );
    if (answer.status >= 500) {
      logger.error('turn failed before the bot', { message: messageOf(answer.failure) });
    } else if (answer.status === 401) {
      logger.warn('http request refused', {
        path: req.path(),
        status: 401,
        message: messageOf(answer.failure),
      });
    }
    res.status(answer.status);
    // As botbuilder answers: a body only when there is one worth sending.
    if (answer.body) res.send(answer.body);
    else res.end();
  });

  server.get('/healthz', async (_req, res) => {
    res.send(200, { status: 'ok' });
  });

  // Only part names and short codes: this port is reachable by Azure Bot Service, hence public.
  server.get('/readyz', async (_req, res) => {
    const report = (await readiness?.check()) ?? { ready: true, parts: [] };
    res.send(report.ready ? 200 : 503, {
      status: report.ready ? 'ready' : 'unready',
      parts: report.parts,
    });
  });

  server.on(
    'restifyError',
    (
      req: restify.Request,
      res: restify.Response,
      error: Error & { statusCode?: number },
      callback: () => void,
    ) => {
      logger.warn('http request refused', {
        path: req.path(),
        status: error.statusCode,
        message: error.message,
      });
      callback();
    },
  );
  return server;
}

/** The fields botbuilder needs before it can even answer: a type, a conversation, a service URL. */
function isRoutableActivity(body: object): boolean {
  const { type, conversation, serviceUrl } = body as Record<string, unknown>;
  const conversationId = (conversation as { id?: unknown } | null | undefined)?.id;
  return (
    typeof type === 'string' &&
    type !== '' &&
    typeof serviceUrl === 'string' &&
    typeof conversationId === 'string' &&
    conversationId !== ''
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
