// A BatchService wired the way src/app.ts wires it (child-aware notifier, every Graph call through
// a RateGate, the configuration's defaults for concurrency and progress), on an in-memory store,
// with a notifier that only counts what would have gone to Teams.
import { systemClock } from '../src/core/clock';
import type { BatchNotifier } from '../src/core/batch/batch-ports';
import {
  BatchService,
  type BatchDependencies,
  type BatchSettings,
} from '../src/core/batch/batch-service';
import { childAwareNotifier } from '../src/core/batch/child-notifier';
import { gatedDirectory } from '../src/core/batch/gated-directory';
import { RateGate, type RateLimits } from '../src/core/batch/rate-gate';
import type { EntraDirectory, Notifier } from '../src/core/ports';
import { RequestUpdater } from '../src/core/request-updater';
import { RevocationEngine, type EngineDependencies } from '../src/core/revocation/engine';
import { SqliteRequestStore } from '../src/store';
import { quietLogger } from './graph-fixture';

/** What Teams would have been sent: one card, its edits and a few thread messages. */
export class CountingBatchNotifier implements BatchNotifier {
  cards = 0;
  edits = 0;
  messages = 0;

  async postBatchCard(): Promise<string> {
    this.cards++;
    return 'bench-card';
  }

  async updateBatchCard(): Promise<void> {
    this.edits++;
  }

  async postBatchMilestone(): Promise<void> {
    this.messages++;
  }
}

const silentNotifier: Notifier = {
  postRequestCard: async () => undefined,
  updateCard: async () => undefined,
  postMilestone: async () => undefined,
};

/** What a bench's batch service is made of; the rest is wired as src/app.ts wires it. */
export interface BatchServiceParts extends Pick<
  BatchDependencies,
  'store' | 'batches' | 'directory' | 'notifier' | 'logger' | 'settings' | 'writeWindow'
> {
  directory: EntraDirectory;
  retryPolicy: EngineDependencies['retryPolicy'];
  leases?: EngineDependencies['leases'];
}

/**
 * An engine and a batch service over one store, as src/app.ts wires them: every step a child's run
 * saves signals the batch service, so its card catches up (coalesced).
 */
export function wireBatchService(parts: BatchServiceParts): {
  engine: RevocationEngine;
  service: BatchService;
} {
  const late: { service?: BatchService } = {};
  const engine = new RevocationEngine({
    updater: new RequestUpdater(parts.store),
    directory: parts.directory,
    onPrem: undefined,
    notifier: childAwareNotifier(
      silentNotifier,
      (batchId) => late.service?.childChanged(batchId),
      parts.logger,
    ),
    clock: systemClock,
    logger: parts.logger,
    concurrency: 4,
    retryPolicy: parts.retryPolicy,
    ...(parts.leases ? { leases: parts.leases } : {}),
  });
  const service = new BatchService({
    store: parts.store,
    batches: parts.batches,
    directory: parts.directory,
    notifier: parts.notifier,
    engine,
    clock: systemClock,
    logger: parts.logger,
    ...(parts.writeWindow ? { writeWindow: parts.writeWindow } : {}),
    settings: parts.settings,
  });
  late.service = service;
  return { engine, service };
}

export interface BatchBench {
  service: BatchService;
  engine: RevocationEngine;
  gate: RateGate;
  notifier: CountingBatchNotifier;
  store: SqliteRequestStore;
  close(): Promise<void>;
}

export function batchBench(
  graph: EntraDirectory,
  limits: RateLimits,
  approverGroupId: string,
  concurrentUsers = 50,
): BatchBench {
  const store = new SqliteRequestStore(':memory:');
  const gate = new RateGate(limits, systemClock);
  const directory = gatedDirectory(graph, gate);
  const notifier = new CountingBatchNotifier();
  const { engine, service } = wireBatchService({
    store,
    batches: store.batches,
    directory,
    notifier,
    logger: quietLogger,
    retryPolicy: { deadlineMs: 170_000, maxAttempts: 50 },
    settings: benchBatchSettings(approverGroupId, concurrentUsers),
  });
  return {
    service,
    engine,
    gate,
    notifier,
    store,
    async close() {
      service.stop();
      await engine.shutdown();
      await store.close();
    },
  };
}

/**
 * A batch service configured as src/app.ts configures it by default (BATCH_PROGRESS_SECONDS,
 * BATCH_CONCURRENT_USERS, its lookup concurrency), with two approvers and no on-premises AD.
 */
export function benchBatchSettings(
  approverGroupId: string,
  runConcurrency: number,
  more: Partial<BatchSettings> = {},
): BatchSettings {
  return {
    requiredApprovals: 2,
    approvalTimeoutMinutes: 60,
    approverGroupId,
    protectedUsers: [],
    onPremConfigured: false,
    progressIntervalMs: 5_000,
    lookupConcurrency: 8,
    runConcurrency,
    ...more,
  };
}
