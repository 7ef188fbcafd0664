// The composition root: builds every part of Revoke from the configuration and wires them
// together. Tests build the same app, replacing the parts they need to control.
import { pagersFrom } from './paging/paging-config';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Server } from 'restify';
import { assertSandboxIsolated, isLoopbackHost, storeTenant, type Config } from './config';
import { systemClock, type Clock } from './core/clock';
import type { EntraDirectory, Logger, OnPremDirectory, RequestStore } from './core/ports';
import { RevocationEngine } from './core/revocation/engine';
import { RequestUpdater } from './core/request-updater';
import { RevokeService } from './core/revoke-service';
import { DriftGuard } from './core/drift-guard';
import { createGraphCredential, createGraphDirectory } from './directory/graph';
import { graphOrigin } from './directory/graph/config';
import { LdapOnPremDirectory } from './directory/ldap';
import { loadSandboxTenant, type SandboxTenant } from './directory/sandbox';
import { connectConfigured, connectSandbox } from './connectors';
import { Connectors } from './core/paths/connectors';
import { createLogger } from './log';
import { startMetricsServer, type MetricsServer } from './ops/metrics-server';
import { PrometheusMetrics } from './ops/prometheus-metrics';
import { Readiness, type ReadinessPart } from './ops/readiness';
import { entraPart, ldapPart, storePart } from './ops/readiness-parts';
import { openStore, type LeasingStore } from './store';
import { openAuditTrail } from './audit/open-audit-trail';
import type { AuditLog } from './core/ports';
import type { ContainmentDirectory, OnPremRestore } from './core/containment-ports';
import type { AppProvisioning } from './core/app-ports';
import { ScimAppsDirectory } from './directory/scim';
import { AccessGate } from './teams/access-gate';
import {
  createBotAuthentication,
  type BotAuthenticationOverrides,
} from './teams/bot-authentication';
import { CommandRateLimiter } from './teams/command-rate-limiter';
import { RevokeCloudAdapter } from './teams/revoke-cloud-adapter';
import { createHttpServer } from './teams/http-server';
import { RevokeBot } from './teams/revoke-bot';
import { createStepUpGate } from './teams/step-up/create-step-up-gate';
import { ChannelAccounts } from './teams/channel-accounts';
import { DirectoryCardAudience } from './teams/directory-card-audience';
import { SandboxCast } from './teams/sandbox-cast';
import { TeamsNotifier } from './teams/teams-notifier';
import { BatchService } from './core/batch/batch-service';
import { childAwareNotifier } from './core/batch/child-notifier';
import { gatedDirectory, type DeviceBatchDisabler } from './core/batch/gated-directory';
import { RateGate } from './core/batch/rate-gate';
import { sharedWriteBudget } from './store/shared-write-budget';
import type { WriteBatchPort } from './core/batch/write-batcher';
import { BatchTeams } from './teams/batch/batch-teams';
import { TeamsBatchNotifier } from './teams/batch/teams-batch-notifier';
import { BatchChildChanges } from './batch-child-changes';
import { SHARED_SIGNALS } from './core/saas/ssf-port';
import { mountSsfRoutes } from './ssf/ssf-routes';
import { SsfTransmitter } from './ssf/transmitter';

export interface AppOverrides {
  /** Tests only: where the bot reads the channel's signing keys, and outgoing credentials. */
  botAuth?: BotAuthenticationOverrides;
  /** Defaults to the audit trail in DATABASE_URL's database. */
  auditLog?: AuditLog & { close?(): Promise<void> };
  clock?: Clock;
  logger?: Logger;
  /** Defaults to the store in DATABASE_URL; whatever replaces it keeps run leases and batches. */
  store?: LeasingStore;
  /** How often pending requests are checked for expiry. */
  expirySweepMs?: number;
}

export interface RevokeApp {
  service: RevokeService;
  engine: RevocationEngine;
  /** Re-reads revoked accounts a while after each run (DRIFT_CHECK_MINUTES). */
  driftGuard: DriftGuard;
  store: RequestStore;
  audit: AuditLog;
  sandbox?: SandboxTenant;
  /** Mass revocation. */
  batches: BatchService;
  /** Paces every Graph call (single requests and batches alike). */
  rateGate: RateGate;
  server: Server;
  metrics: PrometheusMetrics;
  readiness: Readiness;
  /** Where /metrics is served once started (METRICS_PORT), if at all. */
  metricsUrl(): string | undefined;
  /** Listens on `port` and `host` (the configured ones by default) and resumes interrupted runs. */
  start(port?: number, host?: string): Promise<string>;
  /** Stops taking requests, lets in-flight steps save their state, closes the store. */
  stop(): Promise<void>;
}

interface Directories {
  directory: EntraDirectory;
  onPrem: OnPremDirectory | undefined;
  approverGroupId: string;
  protectedGroupId: string | undefined;
  /** Disables several devices per round trip: Graph's $batch; the sandbox has no such call. */
  deviceBatch: DeviceBatchDisabler | undefined;
  /** A mass revocation's writes, up to 20 per round trip (Graph's $batch); none in the sandbox. */
  writeBatch: WriteBatchPort | undefined;
  /** The compromised profile, device retire and restore; the same Graph client or the sandbox. */
  containment: ContainmentDirectory;
  onPremRestore: OnPremRestore | undefined;
  containmentGroupId: string | undefined;
  /** On-demand provisioning of PROVISIONING_APPS: the same Graph client or the sandbox. */
  provisioning: AppProvisioning;
  /** The apps beyond Microsoft: the configured connectors, or the sandbox's stand-ins of them all. */
  connectors: Connectors;
  sandbox?: SandboxTenant;
  /** What /readyz checks besides the store: the token and AD connection a run would use. */
  readinessParts: ReadinessPart[];
}

export async function buildApp(config: Config, overrides: AppOverrides = {}): Promise<RevokeApp> {
  // Before anything is built: a sandbox whose settings name a real system never starts.
  assertSandboxIsolated(config);
  const clock = overrides.clock ?? systemClock;
  const logger =
    overrides.logger ?? createLogger({ level: config.logLevel, base: { service: 'revoke' } });
  const directories = await createDirectories(config, clock, logger);
  // The bot's store: refused if it belongs to another tenant (or mode); a SQLite file is held by
  // this process alone, so the runs a killed predecessor left are resumed at once.
  const store =
    overrides.store ??
    (await openStore(config.databaseUrl, logger, {
      tenant: storeTenant(config),
      exclusive: true,
    }));
  const metrics = new PrometheusMetrics(store);
  const readiness = new Readiness([storePart(store), ...directories.readinessParts]);

  const auditTrail = await openAuditTrail(config, clock, logger, overrides.auditLog);
  const audit = auditTrail.trail;
  const adapter = new RevokeCloudAdapter(createBotAuthentication(config.bot, overrides.botAuth));
  adapter.onTurnError = async (context, error) => {
    logger.error('turn failed', { activityType: context.activity.type, message: error.message });
    if (context.activity.type === 'message') {
      await context.sendActivity('Something went wrong on my side; nothing was changed.');
    }
  };
  const sandboxCast =
    directories.sandbox && castOf(directories.sandbox, directories.approverGroupId);
  const audience =
    sandboxCast ??
    new DirectoryCardAudience(directories.directory, directories.approverGroupId, clock, logger);
  const accounts = new ChannelAccounts({ logger });
  const writeBudget = { budget: config.batch.graphWritesPer150s, windowMs: 150_000 };
  const rateGate = new RateGate(
    { units: { budget: config.batch.graphUnitsPer10s, windowMs: 10_000 }, writes: writeBudget },
    clock,
    // Graph's write budget is per app and tenant: instances sharing a PostgreSQL store share it
    // there; a SQLite store is one process, whose own window sees every write.
    sharedWriteBudget(store, writeBudget),
  );
  const directory = gatedDirectory(directories.directory, rateGate, {
    // Off unless asked for: a single user's two devices would share one $batch too, which
    // changes the per-device PATCH pattern the single-request path is verified with.
    deviceBatch: config.batch.deviceBatch ? directories.deviceBatch : undefined,
    // GRAPH_WRITE_BATCH: disables and revocations of many users share $batch round trips.
    writeBatch: config.batch.writeBatch ? directories.writeBatch : undefined,
  });
  // A batch's children show their progress on the batch's card, not on cards of their own.
  const batchChildChanges = new BatchChildChanges();
  const notifier = childAwareNotifier(
    new TeamsNotifier(adapter, config.bot.appId ?? '', clock, audience, accounts),
    (batchId) => batchChildChanges.emit(batchId),
    logger,
  );
  const scim = config.apps.scim.length > 0 ? new ScimAppsDirectory(config.apps.scim) : undefined;
  const engine = new RevocationEngine({
    updater: new RequestUpdater(store),
    directory,
    onPrem: directories.onPrem,
    containment: directories.containment,
    onPremRestore: directories.onPremRestore,
    provisioning: directories.provisioning,
    scim,
    connectors: directories.connectors,
    notifier,
    clock,
    logger,
    concurrency: config.stepConcurrency,
    retryPolicy: { deadlineMs: config.stepDeadlineMs },
    runStallMs: config.runStallMs,
    leases: { store, owner: instanceName(), ttlMs: config.runLeaseMs },
    metrics,
    audit,
    driftCheckMinutes: config.containment.driftCheckMinutes,
    // A user with 25 devices makes about a hundred step saves; Teams allows about 1,800
    // operations per thread per hour and 50 requests per second per app and tenant.
    cardUpdateIntervalMs: config.cardUpdateIntervalMs,
  });
  const driftGuard = new DriftGuard({
    store,
    directory,
    onPrem: directories.onPrem,
    connectors: directories.connectors,
    notifier,
    clock,
    logger,
    audit,
  });
  // What a single request and a batch child share, so a leaver in a batch is planned (apps,
  // checklist, protected accounts) exactly as one asked for alone.
  const requestSettings = {
    requiredApprovals: config.requiredApprovals,
    approvalTimeoutMinutes: config.approvalTimeoutMinutes,
    approverGroupId: directories.approverGroupId,
    protectedUsers: config.protectedUsers,
    protectedGroupId: directories.protectedGroupId,
    onPremConfigured: directories.onPrem !== undefined,
    requesterGroupId: config.access.requesterGroupId,
    provisioningAppIds: config.apps.provisioningAppIds,
    manualTasks: config.apps.manualTasks,
  };
  const appPorts = {
    provisioning: directories.provisioning,
    scim,
    connectors: directories.connectors,
  };
  const service = new RevokeService({
    store,
    directory,
    notifier,
    engine,
    clock,
    logger,
    metrics,
    audit,
    settings: {
      ...requestSettings,
      allowManagerApproval: config.access.allowManagerApproval,
      mfaRecentDays: config.containment.mfaRecentDays,
      containmentGroupId: directories.containmentGroupId,
      approvalStepUp: config.stepUp.mode,
      outreach: config.outreach,
      lifetimes: {
        accessTokenMinutes: config.containment.accessTokenMinutes,
        kerberosTicketHours: config.containment.kerberosTicketHours,
      },
    },
    containment: directories.containment,
    pagers: pagersFrom(config.paging),
    ...appPorts,
  });
  const batches = new BatchService({
    store,
    batches: store.batches,
    directory,
    notifier: new TeamsBatchNotifier(adapter, config.bot.appId ?? '', clock, audience, accounts),
    engine,
    clock,
    logger,
    audit,
    // The ETA reads what Graph's write window holds from the gate that paces the writes.
    writeWindow: rateGate,
    ...appPorts,
    settings: {
      ...requestSettings,
      progressIntervalMs: config.batch.progressIntervalMs,
      lookupConcurrency: 8,
      runConcurrency: config.batch.concurrentUsers,
      approvalStepUp: config.stepUp.mode,
      writeBudget,
    },
  });
  batchChildChanges.listen((batchId) => batches.childChanged(batchId));
  // In sandbox mode the sandbox's own tenant, unless ALLOWED_TENANT_ID says otherwise.
  const allowedTenantId = config.access.allowedTenantId ?? directories.sandbox?.tenantId ?? '';
  // One gate for single requests and batches: the same sign-in rules, the same ledger.
  const stepUp = createStepUpGate(config.stepUp, store.stepUp, clock, logger);
  const bot = new RevokeBot(service, clock, logger, {
    audience,
    sandbox: sandboxCast,
    accounts,
    gate: new AccessGate({
      allowedTenantId,
      allowedChannelIds: config.access.allowedChannelIds,
    }),
    rateLimiter: new CommandRateLimiter(config.access.commandsPerMinute, clock),
    stepUp,
    batch: new BatchTeams(batches, clock, logger, {
      sandbox: sandboxCast,
      stepUp,
      // A sandbox reaches nothing real: its only file host is the local Playground.
      download: { hosts: config.directory.mode === 'sandbox' ? 'loopback' : 'teams' },
    }),
  });
  const server = createHttpServer({ adapter, bot, logger, readiness });
  // Shared Signals (SSF_ISSUER): its streams live in the store, opened after the connectors, and
  // its metadata, JWKS and stream management are served by this server.
  const signals = directories.connectors.get(SHARED_SIGNALS);
  if (signals instanceof SsfTransmitter) {
    if (store.ssfStreams) signals.useStreams(store.ssfStreams);
    mountSsfRoutes(server, signals, logger);
  }

  let sweeper: NodeJS.Timeout | undefined;
  let adopter: NodeJS.Timeout | undefined;
  let metricsServer: MetricsServer | undefined;
  return {
    service,
    engine,
    driftGuard,
    store,
    audit,
    sandbox: directories.sandbox,
    batches,
    rateGate,
    server,
    metrics,
    readiness,
    metricsUrl: () => metricsServer?.url,
    async start(port = config.port, host = config.host) {
      await new Promise<void>((resolve) => server.listen(port, host, resolve));
      const address = server.address() as AddressInfo;
      // What the configuration allowed for a host name (localhost) must also hold for the address
      // it resolved to: unauthenticated with a real tenant, only this machine may reach the bot.
      if (
        config.bot.skipAuth &&
        config.directory.mode === 'graph' &&
        !isLoopbackHost(address.address)
      ) {
        server.close();
        throw new Error(
          `INSECURE_SKIP_BOT_AUTH=true with a real tenant, but the bot listens on ${address.address}, not loopback: stopped.`,
        );
      }
      const resumed = await service.resumeRunning();
      if (resumed.length > 0) logger.info('resumed interrupted runs', { requestIds: resumed });
      const resumedBatches = await batches.resume();
      if (resumedBatches.length > 0) logger.info('resumed batches', { batchIds: resumedBatches });
      // What fell due while no instance ran (a reminder, a page) goes out now, not a period later.
      const caughtUp = await service
        .runOutreach()
        .catch(
          (error: unknown) => (logger.warn('outreach sweep failed', { message: String(error) }), 0),
        );
      if (caughtUp > 0) logger.info('outreach caught up', { items: caughtUp });
      sweeper = setInterval(() => {
        service
          .expireDue()
          .then(() => batches.expireDue())
          .catch((error: unknown) => logger.warn('expiry sweep failed', { message: String(error) }))
          // After expiry, so a request that just expired has its page resolved in the same sweep.
          .then(() => service.runOutreach())
          .catch((error: unknown) =>
            logger.warn('outreach sweep failed', { message: String(error) }),
          )
          // Its own catch: a failed expiry sweep must not hold drift checks back, nor the reverse.
          .then(() => driftGuard.checkDue())
          .catch((error: unknown) =>
            logger.warn('drift check sweep failed', { message: String(error) }),
          )
          // Records held while the audit store did not answer are written once it does.
          .then(() => audit.flush());
      }, overrides.expirySweepMs ?? 30_000);
      sweeper.unref();
      // Runs of an instance that died are taken over once their lease expires.
      adopter = setInterval(
        () => {
          service
            .adoptRunning()
            .catch((error: unknown) =>
              logger.warn('run takeover sweep failed', { message: String(error) }),
            );
        },
        Math.max(500, Math.floor(config.runLeaseMs / 2)),
      );
      adopter.unref();
      if (config.metrics.port !== undefined) {
        metricsServer = await startMetricsServer(
          metrics,
          config.metrics.port,
          config.metrics.host,
          logger,
        );
      }
      return `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
    },
    async stop() {
      if (sweeper) clearInterval(sweeper);
      if (adopter) clearInterval(adopter);
      server.close();
      await service.outreachSettled();
      batches.stop();
      await metricsServer?.close();
      // What answered clicks left to do (card updates, a run's start) before the engine stops.
      await bot.settled();
      await engine.shutdown();
      await store.close();
      await auditTrail.close();
    },
  };
}

// Only in sandbox mode: the one place "act as another person" is ever wired in.
function castOf(sandbox: SandboxTenant, approverGroupId: string): SandboxCast {
  return new SandboxCast({
    people: sandbox.people,
    isApprover: async (id) =>
      (await sandbox.directory.memberGroups(id, [approverGroupId])).includes(approverGroupId),
  });
}

// The sandbox only ever uses its own in-memory directories: it has no bot authentication and
// offers "act as", so a real directory behind it would let anyone who can reach the port disable
// real accounts (assertSandboxIsolated refuses LDAP_URL, SCIM_APPS and Graph settings there).
async function createDirectories(
  config: Config,
  clock: Clock,
  logger: Logger,
): Promise<Directories> {
  if (config.directory.mode === 'sandbox') {
    const sandbox = await loadSandboxTenant(config.directory.dataPath, {
      clock,
      latencyMs: config.directory.latencyMs,
    });
    return {
      directory: sandbox.directory,
      onPrem: sandbox.onPrem,
      containment: sandbox.containment,
      provisioning: sandbox.provisioning,
      connectors: connectSandbox(sandbox, new Connectors()),
      onPremRestore: sandbox.onPrem,
      containmentGroupId: config.containment.groupId ?? sandbox.containmentGroupId,
      approverGroupId: config.directory.approverGroupId ?? sandbox.approverGroupId,
      protectedGroupId: config.protectedGroupId ?? sandbox.protectedGroupId,
      deviceBatch: undefined,
      writeBatch: undefined,
      sandbox,
      readinessParts: [],
    };
  }
  const ldap = config.ldap ? new LdapOnPremDirectory(config.ldap) : undefined;
  const ldapReadiness = config.ldap ? [ldapPart(config.ldap)] : [];
  const credential = createGraphCredential(config.directory);
  const scope = `${graphOrigin(config.directory)}/.default`;
  const graph = createGraphDirectory(config.directory, credential);
  return {
    directory: graph,
    onPrem: ldap,
    containment: graph,
    provisioning: graph,
    connectors: connectConfigured(config.connectors, new Connectors(), logger),
    onPremRestore: ldap,
    containmentGroupId: config.containment.groupId,
    approverGroupId: config.directory.approverGroupId,
    protectedGroupId: config.protectedGroupId,
    deviceBatch: graph,
    writeBatch: graph,
    readinessParts: [
      entraPart(credential, scope, [config.directory.clientSecret]),
      ...ldapReadiness,
    ],
  };
}

/** Unique among live instances (host, process, and a nonce for a reused pid); shows up in logs. */
function instanceName(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}
