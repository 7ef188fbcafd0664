// The composition root: builds every part of Revoke from the configuration and wires them
// together. Tests build the same app, replacing the parts they need to control.
import type { AddressInfo } from 'node:net';
import type { Server } from 'restify';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { Config } from './config';
import { systemClock, type Clock } from './core/clock';
import type { Directory, Logger, OnPremDirectory, RequestStore } from './core/ports';
import { RevocationEngine } from './core/revocation/engine';
import { RequestUpdater } from './core/request-updater';
import { RevokeService } from './core/revoke-service';
import { createGraphDirectory } from './directory/graph';
import { LdapOnPremDirectory } from './directory/ldap';
import { loadSandboxTenant, type SandboxTenant } from './directory/sandbox';
import { createLogger } from './log';
import { openStore } from './store';
import { createHttpServer } from './teams/http-server';
import { RevokeBot } from './teams/revoke-bot';
import { TeamsNotifier } from './teams/teams-notifier';

export interface AppOverrides {
  clock?: Clock;
  logger?: Logger;
  store?: RequestStore;
  /** How often pending requests are checked for expiry. */
  expirySweepMs?: number;
}

export interface RevokeApp {
  service: RevokeService;
  engine: RevocationEngine;
  store: RequestStore;
  sandbox?: SandboxTenant;
  server: Server;
  /** Listens on `port` (the configured one by default) and resumes interrupted runs. */
  start(port?: number, host?: string): Promise<string>;
  /** Stops taking requests, lets in-flight steps save their state, closes the store. */
  stop(): Promise<void>;
}

interface Directories {
  directory: Directory;
  onPrem: OnPremDirectory | undefined;
  approverGroupId: string;
  protectedGroupId: string | undefined;
  sandbox?: SandboxTenant;
}

export async function buildApp(config: Config, overrides: AppOverrides = {}): Promise<RevokeApp> {
  const clock = overrides.clock ?? systemClock;
  const logger =
    overrides.logger ?? createLogger({ level: config.logLevel, base: { service: 'revoke' } });
  const directories = await createDirectories(config, clock);
  const store = overrides.store ?? (await openStore(config.databaseUrl, logger));

  // Without an app id, botbuilder neither checks nor sends tokens: only for the sandbox and
  // local tools (config refuses it with a real tenant unless INSECURE_SKIP_BOT_AUTH is set).
  const auth = new ConfigurationBotFrameworkAuthentication(
    config.bot.appId
      ? {
          MicrosoftAppId: config.bot.appId,
          MicrosoftAppPassword: config.bot.appPassword,
          MicrosoftAppType: config.bot.appType,
          MicrosoftAppTenantId: config.bot.appTenantId,
        }
      : {},
  );
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (context, error) => {
    logger.error('turn failed', { activityType: context.activity.type, message: error.message });
    if (context.activity.type === 'message') {
      await context.sendActivity('Something went wrong on my side; nothing was changed.');
    }
  };
  const notifier = new TeamsNotifier(adapter, config.bot.appId ?? '', clock);
  const engine = new RevocationEngine({
    updater: new RequestUpdater(store),
    directory: directories.directory,
    onPrem: directories.onPrem,
    notifier,
    clock,
    logger,
    concurrency: config.stepConcurrency,
    retryPolicy: { deadlineMs: config.stepDeadlineMs },
  });
  const service = new RevokeService({
    store,
    directory: directories.directory,
    notifier,
    engine,
    clock,
    logger,
    settings: {
      requiredApprovals: config.requiredApprovals,
      approvalTimeoutMinutes: config.approvalTimeoutMinutes,
      approverGroupId: directories.approverGroupId,
      protectedUsers: config.protectedUsers,
      protectedGroupId: directories.protectedGroupId,
      onPremConfigured: directories.onPrem !== undefined,
    },
  });
  const bot = new RevokeBot(service, clock, logger);
  const server = createHttpServer({ adapter, bot, logger });

  let sweeper: NodeJS.Timeout | undefined;
  return {
    service,
    engine,
    store,
    sandbox: directories.sandbox,
    server,
    async start(port = config.port, host) {
      await new Promise<void>((resolve) => server.listen(port, host, resolve));
      const address = server.address() as AddressInfo;
      const resumed = await service.resumeRunning();
      if (resumed.length > 0) logger.info('resumed interrupted runs', { requestIds: resumed });
      sweeper = setInterval(() => {
        service
          .expireDue()
          .catch((error: unknown) =>
            logger.warn('expiry sweep failed', { message: String(error) }),
          );
      }, overrides.expirySweepMs ?? 30_000);
      sweeper.unref();
      return `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
    },
    async stop() {
      if (sweeper) clearInterval(sweeper);
      server.close();
      await engine.shutdown();
      await store.close();
    },
  };
}

// A configured AD connection is used in both modes; the sandbox's own AD stands in otherwise.
async function createDirectories(config: Config, clock: Clock): Promise<Directories> {
  const ldap = config.ldap ? new LdapOnPremDirectory(config.ldap) : undefined;
  if (config.directory.mode === 'sandbox') {
    const sandbox = await loadSandboxTenant(config.directory.dataPath, {
      clock,
      latencyMs: config.directory.latencyMs,
    });
    return {
      directory: sandbox.directory,
      onPrem: ldap ?? sandbox.onPrem,
      approverGroupId: config.directory.approverGroupId ?? sandbox.approverGroupId,
      protectedGroupId: config.protectedGroupId ?? sandbox.protectedGroupId,
      sandbox,
    };
  }
  return {
    directory: createGraphDirectory(config.directory),
    onPrem: ldap,
    approverGroupId: config.directory.approverGroupId,
    protectedGroupId: config.protectedGroupId,
  };
}
