// Starts Revoke: reads the environment, builds the app and serves /api/messages until told to
// stop. SIGTERM and SIGINT stop it gracefully: steps in flight save their state first, and the
// next start resumes the runs that were interrupted.
import { buildApp } from './app';
import {
  assertSandboxIsolated,
  ConfigError,
  describeConfig,
  isLoopbackHost,
  loadConfig,
} from './config';
import { runStartupChecks } from './doctor/startup-checks';
import { createLogger } from './log';
import { projectRoot } from './project-root';
import { playgroundForSandbox } from './dev/playground/start-for-sandbox';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env, projectRoot());
    assertSandboxIsolated(config);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger({ level: config.logLevel, base: { service: 'revoke' } });
  if (config.bot.skipAuth && config.directory.mode === 'graph') {
    logger.warn(
      'INSECURE_SKIP_BOT_AUTH=true: /api/messages accepts unauthenticated requests, so anyone who can reach it can forge approvals. Never run like this in production.',
    );
  }
  if (config.directory.mode === 'sandbox' && config.host && !isLoopbackHost(config.host)) {
    logger.warn(
      `HOST=${config.host}: the sandbox (no bot authentication, "act as" anyone) is reachable from the network, not only from this machine. Unset HOST to keep it on 127.0.0.1.`,
    );
  }
  const app = await buildApp(config, { logger });
  const url = await app.start();
  logger.info('Revoke is listening', { url: `${url}/api/messages`, ...describeConfig(config) });
  const metricsUrl = app.metricsUrl();
  if (metricsUrl) logger.info('metrics are served', { url: metricsUrl });
  // In the background: a slow directory must not delay taking requests.
  void runStartupChecks(config, projectRoot(), logger);
  if (app.sandbox) {
    logger.info(
      `Sandbox tenant "${app.sandbox.name}": no real directory is touched. Talk to the bot with the Microsoft 365 Agents Playground (see README).`,
      { people: app.sandbox.people.map((p) => `${p.name} <${p.upn ?? ''}>`) },
    );
  }
  const playground =
    app.sandbox && config.directory.mode === 'sandbox'
      ? await playgroundForSandbox(app.sandbox, {
          botUrl: url,
          approverGroupId: app.sandbox.approverGroupId,
          settings: config.directory.playground,
          logger,
        })
      : undefined;

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    Promise.all([playground?.stop(), app.stop()]).then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('stop failed', { message: String(error) });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Revoke failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
