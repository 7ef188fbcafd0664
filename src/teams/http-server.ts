// The HTTP endpoint Teams (through Azure Bot Service) posts to. Bodies are capped and must be
// JSON; the Bot Framework adapter authenticates each request before the bot sees it.
import * as restify from 'restify';
import type { CloudAdapter } from 'botbuilder';
import type { ActivityHandler } from 'botbuilder';
import type { Logger } from '../core/ports';

export const MAX_BODY_BYTES = 256 * 1024;

export interface HttpServerOptions {
  adapter: CloudAdapter;
  bot: ActivityHandler;
  logger: Logger;
}

export function createHttpServer({ adapter, bot, logger }: HttpServerOptions): restify.Server {
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
    await adapter.process(req, res, (context) => bot.run(context));
  });

  server.get('/healthz', async (_req, res) => {
    res.send(200, { status: 'ok' });
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
