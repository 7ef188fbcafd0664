// The core of mass revocation wired for tests: a generated sandbox tenant, a real SQLite store
// (batches need migration 4), the real engine behind the child-aware notifier, the rate gate and
// a recording batch notifier. Real clock and timers: runs finish on their own.
import { systemClock } from '../../src/core/clock';
import type { Person } from '../../src/core/model';
import { BatchService, type BatchSettings } from '../../src/core/batch/batch-service';
import { childAwareNotifier } from '../../src/core/batch/child-notifier';
import { gatedDirectory } from '../../src/core/batch/gated-directory';
import { RateGate, type RateLimits } from '../../src/core/batch/rate-gate';
import type { BatchRequest } from '../../src/core/batch/batch-model';
import { RequestUpdater } from '../../src/core/request-updater';
import { RevocationEngine } from '../../src/core/revocation/engine';
import { createSandboxTenant, type SandboxTenant } from '../../src/directory/sandbox';
import { SqliteRequestStore } from '../../src/store';
import { captureLogger } from './capture-logger';
import { MemoryAuditLog } from './memory-audit-log';
import { RecordingBatchNotifier } from './recording-batch-notifier';
import { RecordingNotifier } from './recording-notifier';
import { THREAD_REFERENCE } from './service-harness';

export interface BatchHarness {
  service: BatchService;
  engine: RevocationEngine;
  store: SqliteRequestStore;
  gate: RateGate;
  notifier: RecordingBatchNotifier;
  singles: RecordingNotifier;
  audit: MemoryAuditLog;
  sandbox: SandboxTenant;
  person(upn: string): Person;
  waitForBatch(
    id: string,
    done: (batch: BatchRequest) => boolean,
    timeoutMs?: number,
  ): Promise<BatchRequest>;
  close(): Promise<void>;
}

export const GENEROUS_LIMITS: RateLimits = {
  units: { budget: 1_000_000, windowMs: 1_000 },
  writes: { budget: 1_000_000, windowMs: 1_000 },
};

export async function batchHarness(
  tenant: unknown,
  options: {
    filename?: string;
    sandbox?: SandboxTenant;
    limits?: RateLimits;
    settings?: Partial<BatchSettings>;
  } = {},
): Promise<BatchHarness> {
  const clock = systemClock;
  const sandbox = options.sandbox ?? createSandboxTenant(tenant, { clock, latencyMs: 0 });
  const store = new SqliteRequestStore(options.filename ?? ':memory:');
  const logger = captureLogger();
  const audit = new MemoryAuditLog();
  const gate = new RateGate(options.limits ?? GENEROUS_LIMITS, clock);
  const directory = gatedDirectory(sandbox.directory, gate);
  const notifier = new RecordingBatchNotifier();
  const singles = new RecordingNotifier();
  const late: { service?: BatchService } = {};
  const engine = new RevocationEngine({
    updater: new RequestUpdater(store),
    directory,
    onPrem: sandbox.onPrem,
    // Only acts on what the settings' PROVISIONING_APPS put into a plan.
    provisioning: sandbox.provisioning,
    notifier: childAwareNotifier(singles, (id) => late.service?.childChanged(id), logger),
    clock,
    logger,
    concurrency: 4,
    audit,
    retryPolicy: { baseDelayMs: 5, maxDelayMs: 20, deadlineMs: 2_000, maxAttempts: 3 },
  });
  const service = new BatchService({
    store,
    batches: store.batches,
    directory,
    notifier,
    engine,
    clock,
    logger,
    audit,
    retryPolicy: { baseDelayMs: 5, maxDelayMs: 20 },
    provisioning: sandbox.provisioning,
    settings: {
      requiredApprovals: 2,
      approvalTimeoutMinutes: 60,
      approverGroupId: sandbox.approverGroupId,
      protectedUsers: [],
      protectedGroupId: sandbox.protectedGroupId,
      onPremConfigured: true,
      progressIntervalMs: 100,
      lookupConcurrency: 16,
      runConcurrency: 100,
      ...options.settings,
    },
  });
  late.service = service;
  const batches = service;
  return {
    service: batches,
    engine,
    store,
    gate,
    notifier,
    singles,
    audit,
    sandbox,
    person(upn) {
      const found = sandbox.people.find((p) => p.upn === upn);
      if (!found) throw new Error(`no sandbox person ${upn}`);
      return found;
    },
    async waitForBatch(id, done, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const batch = await store.batches.getBatch(id);
        if (batch && done(batch)) return batch;
        if (Date.now() > deadline)
          throw new Error(`batch ${id} not done in time: ${batch?.status}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    async close() {
      batches.stop();
      await engine.shutdown();
      await store.close();
    },
  };
}

export { THREAD_REFERENCE };
