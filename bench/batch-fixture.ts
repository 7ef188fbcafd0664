// A BatchService wired the way src/app.ts wires it (child-aware notifier, every Graph call through
// a RateGate, the configuration's defaults for concurrency and progress), on an in-memory store,
// with a notifier that only counts what would have gone to Teams.
import { systemClock } from '../src/core/clock';
import type { BatchNotifier } from '../src/core/batch/batch-ports';
import { BatchService, type BatchSettings } from '../src/core/batch/batch-service';
import { childAwareNotifier } from '../src/core/batch/child-notifier';
import { gatedDirectory } from '../src/core/batch/gated-directory';
import { RateGate, type RateLimits } from '../src/core/batch/rate-gate';
import type { EntraDirectory, Notifier } from '../src/core/ports';
import { RequestUpdater } from '../src/core/request-updater';
import { RevocationEngine } from '../src/core/revocation/engine';
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
  const late: { service?: BatchService } = {};
  const engine = new RevocationEngine({
    updater: new RequestUpdater(store),
    directory,
    onPrem: undefined,
    notifier: childAwareNotifier(
      silentNotifier,
      (batchId) => late.service?.childChanged(batchId),
      quietLogger,
    ),
    clock: systemClock,
    logger: quietLogger,
    concurrency: 4,
    retryPolicy: { deadlineMs: 170_000, maxAttempts: 50 },
  });
  const service = new BatchService({
    store,
    batches: store.batches,
    directory,
    notifier,
    engine,
    clock: systemClock,
    logger: quietLogger,
    settings: benchBatchSettings(approverGroupId, concurrentUsers),
  });
  late.service = service;
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
