// (d) A 10,000-user wave at Graph's write budget: two bot instances (two BatchServices, engines,
// Graph clients and RateGates in this process) on one PostgreSQL database revoke 10,000 cloud-only
// users (one device each: 3 writes and 6 reads a user) as ten batches of 1,000 (the most one
// `users …` command takes), five approved on each instance. The stand-in enforces Graph's write
// budget per app and tenant (3,000 writes per 150 s) besides the resource units, on a clock scaled
// by `timeScale` (window and Retry-After divided alike) so the wave takes minutes, not half an hour.
//
// "before": each instance paces writes with its own in-memory window at the full budget, as
// before this change. "after": the instances draw from one budget kept in PostgreSQL, and the
// writes of many users share $batch round trips (GRAPH_WRITE_BATCH).
//
// The batches are seeded as `users …` would have left them (children planned by the runbook,
// pending): the lookups behind the cards are benchmark (b)'s subject, not this one's. Everything
// from the approvals on is the product's own code.
import { systemClock } from '../src/core/clock';
import type { BatchNotifier } from '../src/core/batch/batch-ports';
import type { BatchProgress } from '../src/core/batch/batch-progress';
import type { BatchService } from '../src/core/batch/batch-service';
import { benchBatchSettings, wireBatchService } from './batch-fixture';
import type { BatchRequest } from '../src/core/batch/batch-model';
import { isBatchFinal } from '../src/core/batch/batch-model';
import { gatedDirectory } from '../src/core/batch/gated-directory';
import { RateGate, type BucketLimit } from '../src/core/batch/rate-gate';
import type { Person } from '../src/core/model';
import { pendingRequest } from '../src/core/pending-request';
import { newBatchId, newRequestId } from '../src/core/request-id';
import type { RevocationEngine } from '../src/core/revocation/engine';
import { createGraphDirectory } from '../src/directory/graph';
import { openStore, PostgresRequestStore } from '../src/store';
import { sharedWriteBudget } from '../src/store/shared-write-budget';
import {
  GRAPH_WRITE_BUDGET,
  GraphRateLimit,
  startEntraStandin,
  type EntraStandin,
} from '../test/support/entra-standin';
import { sharedPostgres } from '../test/support/postgres';
import { runbookPlan } from '../test/support/runbook-plan';
import { quietLogger as silent, RUNBOOK_ROLES, snapshotOf } from './graph-fixture';
import type { Logger } from '../src/core/ports';

const debugLog = (level: string) => (message: string, fields?: Record<string, unknown>) => {
  if (process.env['WAVE_DEBUG'] === 'all')
    process.stderr.write(`${level}: ${message} ${JSON.stringify(fields ?? {})}\n`);
};

/** Warnings and errors only (a user lost must say why), to stderr. */
const quietLogger: Logger = {
  ...silent,
  info: debugLog('info'),
  debug: debugLog('debug'),
  warn: (message, fields) =>
    process.stderr.write(`warn: ${message} ${JSON.stringify(fields ?? {})}\n`),
  error: (message, fields) =>
    process.stderr.write(`error: ${message} ${JSON.stringify(fields ?? {})}\n`),
  child: (fields) => childLogger(fields),
};

function childLogger(bound: Record<string, unknown> | undefined): Logger {
  const withBound =
    (write: (m: string, f?: Record<string, unknown>) => void) =>
    (message: string, fields?: Record<string, unknown>) =>
      write(message, { ...bound, ...fields });
  return {
    debug: withBound(quietLogger.debug),
    info: withBound(quietLogger.info),
    warn: withBound(quietLogger.warn),
    error: withBound(quietLogger.error),
    child: (more) => childLogger({ ...bound, ...more }),
  };
}
import { CALL_LATENCY_MS, round2 } from './single-user';
import { randomBytes } from 'node:crypto';

/** The most one `users …` command takes (MAX_BATCH_TARGETS). */
const BATCH_SIZE = Number(process.env['BENCH_WAVE_BATCH_SIZE'] ?? 1_000);
/** Graph's resource units for a tenant over 500 users, per 10 s. */
const UNITS_PER_10S = 8_000;

export interface WaveVariant {
  label: string;
  /** The instances share one write budget in PostgreSQL; else each has its own window. */
  sharedBudget: boolean;
  /** GRAPH_WRITE_BATCH: writes of many users share $batch round trips. */
  writeBatch: boolean;
}

export const BEFORE: WaveVariant = { label: 'before', sharedBudget: false, writeBatch: false };
export const SHARED: WaveVariant = {
  label: 'shared budget',
  sharedBudget: true,
  writeBatch: false,
};
export const AFTER: WaveVariant = {
  label: 'shared budget + $batch',
  sharedBudget: true,
  writeBatch: true,
};

export interface EtaPoint {
  /** Share of the wave's run time elapsed when the cards were read. */
  atShareOfRun: number;
  /** Mean over the batches still running of |predicted − actual| ÷ actual time left. */
  meanAbsError: number;
  /** Mean of (predicted − actual) ÷ actual: negative means the cards promised too early. */
  meanSignedError: number;
  /**
   * Mean |predicted − actual| in seconds: near the end of a run the time left is seconds, and a
   * card a window's wait off is many times that, so the ratio alone overstates it.
   */
  meanAbsErrorSeconds: number;
  /** Mean actual time left, in seconds, of the cards counted. */
  meanActualSeconds: number;
  batches: number;
}

export interface WaveRunResult {
  variant: string;
  users: number;
  instances: number;
  /** Final approval → last user's steps verified. */
  runMs: number;
  /** Writes Graph accepted over the run (from its first write to its last). */
  writesAccepted: number;
  /**
   * The headline, the budget as a rate (as the "about 33 minutes for ~4 writes a user"):
   * writesAccepted ÷ (budget ÷ window × runMs). A steady flow at exactly the budget's rate over
   * the whole run scores 100 %; the first window's burst can put it a little over.
   */
  shareOfBudgetRate: number;
  /**
   * The most a sliding window lets through between the first and the last write accepted:
   * budget × (1 + span ÷ window), a full burst at the start and another at the very end.
   */
  writesAllowedAtMost: number;
  /** writesAccepted ÷ writesAllowedAtMost: the share of the sliding window's maximum. */
  shareOfSlidingWindowMax: number;
  /** After the first window (whose whole budget may go at once): accepted rate ÷ budget rate. */
  sustainedShareAfterFirstWindow: number;
  /** Users not fully revoked when their batch closed. */
  usersLost: number;
  throttled429: number;
  writes429: number;
  /** HTTP requests to Graph (a $batch is one), and the Graph operations they carried. */
  httpRequests: number;
  graphOperations: number;
  batchRequests: number;
  cardEdits: number;
  eta: EtaPoint[];
}

export interface WaveResult {
  users: number;
  timeScale: number;
  /** Graph's write budget as the stand-in enforced it (scaled window in real ms). */
  writeBudget: { budget: number; windowMs: number; scaledWindowMs: number };
  latencyMsPerCall: number;
  runs: WaveRunResult[];
}

interface CardRead {
  batchId: string;
  at: number;
  remainingMs: number | undefined;
}

class RecordingBatchNotifier implements BatchNotifier {
  readonly reads: CardRead[] = [];
  edits = 0;
  async postBatchCard(): Promise<string> {
    return 'bench-card';
  }
  async updateBatchCard(batch: BatchRequest, progress: BatchProgress): Promise<void> {
    this.edits++;
    this.reads.push({ batchId: batch.id, at: Date.now(), remainingMs: progress.eta?.remainingMs });
    // WAVE_DEBUG=eta: every card's estimate and what it was made of, to stderr.
    if (process.env['WAVE_DEBUG'] === 'eta')
      process.stderr.write(`eta ${Date.now()} ${batch.id} ${JSON.stringify(progress.eta)}\n`);
  }
  async postBatchMilestone(): Promise<void> {}
}

interface Instance {
  service: BatchService;
  engine: RevocationEngine;
  store: PostgresRequestStore;
  notifier: RecordingBatchNotifier;
  graph: ReturnType<typeof createGraphDirectory>;
  close(): Promise<void>;
}

async function instance(
  name: string,
  url: string,
  standin: EntraStandin,
  app: { clientId: string; secret: string },
  approverGroupId: string,
  writeLimit: BucketLimit,
  timeScale: number,
  variant: WaveVariant,
): Promise<Instance> {
  const store = await openStore(url);
  if (!(store instanceof PostgresRequestStore)) throw new Error('the wave needs PostgreSQL');
  const graph = createGraphDirectory({
    tenantId: standin.tenantId,
    clientId: app.clientId,
    clientSecret: app.secret,
    authorityHost: standin.origin,
    graphBaseUrl: standin.origin,
  });
  const gate = new RateGate(
    {
      units: { budget: UNITS_PER_10S, windowMs: 10_000 / timeScale },
      writes: writeLimit,
    },
    systemClock,
    variant.sharedBudget ? sharedWriteBudget(store, writeLimit) : {},
  );
  const directory = gatedDirectory(graph, gate, variant.writeBatch ? { writeBatch: graph } : {});
  const notifier = new RecordingBatchNotifier();
  const { engine, service } = wireBatchService({
    store,
    batches: store.batches,
    directory,
    notifier,
    logger: quietLogger,
    retryPolicy: { deadlineMs: 600_000, maxAttempts: 100 },
    leases: { store, owner: name, ttlMs: 60_000 },
    // As src/app.ts wires it: the ETA reads what the write window holds from the gate.
    writeWindow: gate,
    settings: benchBatchSettings(approverGroupId, 50, { writeBudget: writeLimit }),
  });
  return {
    service,
    engine,
    store,
    notifier,
    graph,
    async close() {
      service.stop();
      await engine.shutdown();
      await store.close();
    },
  };
}

/** A batch as `users …` leaves it: one pending child per user, planned by the runbook. */
async function seedBatch(
  store: PostgresRequestStore,
  standin: EntraStandin,
  prefix: string,
  count: number,
  requester: Person,
): Promise<string> {
  const batchId = newBatchId();
  const now = new Date();
  const card = { conversationReference: '{}', cardActivityId: `batch:${batchId}` };
  const members: BatchRequest['members'] = [];
  for (let i = 0; i < count; i++) {
    const user = standin.state.addUser({
      userPrincipalName: `${prefix}${i}@contoso.test`,
      displayName: `${prefix} ${i}`,
    });
    const device = standin.state.addDevice({
      displayName: `${prefix}-${i}-laptop`,
      registeredUserIds: [user.id],
    });
    const target = snapshotOf(user, 1);
    const child = pendingRequest(
      {
        id: newRequestId(),
        now,
        approvalTimeoutMinutes: 60,
        target,
        reason: 'Benchmark of a 10,000-user wave',
        requester,
        requiredApprovals: 2,
        plan: runbookPlan(
          target,
          [{ id: device.id, displayName: device.displayName, accountEnabled: true }],
          {
            onPremConfigured: false,
          },
        ),
        card,
      },
      { batchId },
    );
    await store.create(child);
    members.push({
      requestId: child.id,
      targetId: user.id,
      userPrincipalName: user.userPrincipalName,
      displayName: user.displayName,
      deviceCount: 1,
    });
  }
  await store.batches.createBatch({
    id: batchId,
    version: 1,
    status: 'pending',
    reason: 'Benchmark of a 10,000-user wave',
    requester,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + 3_600_000).toISOString(),
    requiredApprovals: 2,
    approvals: [],
    members,
    skipped: [],
    malformed: [],
    card: { conversationReference: '{}', cardActivityId: `batch:${batchId}` },
    retries: 0,
  });
  return batchId;
}

export async function benchWave(
  users = 10_000,
  timeScale = 1.5,
  variants: WaveVariant[] = [BEFORE, AFTER],
): Promise<WaveResult> {
  const runs: WaveRunResult[] = [];
  const writeBudget = GRAPH_WRITE_BUDGET;
  for (const variant of variants) {
    runs.push(await runWave(variant, users, timeScale));
  }
  return {
    users,
    timeScale,
    writeBudget: {
      budget: writeBudget.budget,
      windowMs: writeBudget.windowMs,
      scaledWindowMs: writeBudget.windowMs / timeScale,
    },
    latencyMsPerCall: CALL_LATENCY_MS,
    runs,
  };
}

async function runWave(
  variant: WaveVariant,
  users: number,
  timeScale: number,
): Promise<WaveRunResult> {
  const standin = await startEntraStandin({});
  const url = await (await sharedPostgres()).createDatabase();
  const instances: Instance[] = [];
  try {
    const secret = randomBytes(24).toString('base64url');
    const { clientId } = standin.state.addApp({ roles: RUNBOOK_ROLES, secrets: [secret] });
    const person = (upn: string, name: string): Person => {
      const user = standin.state.addUser({ userPrincipalName: upn, displayName: name });
      return { id: user.id, name, upn };
    };
    const requester = person('wave.requester@contoso.test', 'Wave Requester');
    const approvers = [
      person('wave.approver1@contoso.test', 'Approver One'),
      person('wave.approver2@contoso.test', 'Approver Two'),
    ];
    const group = standin.state.addGroup({
      displayName: 'Revoke approvers',
      memberIds: approvers.map((a) => a.id),
    });
    const writeLimit: BucketLimit = {
      budget: GRAPH_WRITE_BUDGET.budget,
      windowMs: GRAPH_WRITE_BUDGET.windowMs / timeScale,
    };
    for (const name of ['bot-a', 'bot-b']) {
      instances.push(
        await instance(
          name,
          url,
          standin,
          { clientId, secret },
          group.id,
          writeLimit,
          timeScale,
          variant,
        ),
      );
    }
    const [a] = instances;
    if (!a) throw new Error('no instance');
    const batchIds: string[] = [];
    for (let n = 0, left = users; left > 0; n++, left -= BATCH_SIZE) {
      batchIds.push(
        await seedBatch(a.store, standin, `w${n}u`, Math.min(BATCH_SIZE, left), requester),
      );
    }
    // Tokens first, outside the measured run.
    await Promise.all(instances.map((i) => i.graph.getUser(requester.id)));
    standin.latencyMs = CALL_LATENCY_MS;
    standin.rateLimit = new GraphRateLimit({ perSecond: (UNITS_PER_10S / 10) * timeScale });
    standin.writeBudget = { ...GRAPH_WRITE_BUDGET, timeScale };
    standin.log.reset();

    const started = Date.now();
    // Ten responders' cards, approved as they come: batch n on instance n % 2.
    await Promise.all(
      batchIds.map(async (batchId, n) => {
        const on = instances[n % instances.length] ?? a;
        for (const approver of approvers) {
          const answer = await on.service.handleCardAction('approve', batchId, approver);
          if (!answer.accepted) throw new Error(answer.message);
        }
      }),
    );
    const progress = setInterval(() => {
      const limit = standin.writeLimits.get(clientId);
      if (process.env['WAVE_DEBUG'] === 'all') void debugDump(a, batchIds);
      process.stderr.write(
        `wave ${variant.label}: ${Math.round((Date.now() - started) / 1_000)} s, ${limit?.accepted ?? 0} writes accepted, ${limit?.throttled ?? 0} refused, ${standin.log.calls.length} operations\n`,
      );
    }, 10_000);
    const finishedAt = new Map<string, number>();
    const done = await Promise.all(
      batchIds.map(async (batchId) => {
        const batch = await untilFinal(a, batchId, 20 * 60_000);
        const children = await a.store.batches.listChildren(batchId);
        const last = Math.max(...children.map((c) => Date.parse(c.finishedAt ?? '')));
        finishedAt.set(batchId, last);
        return { batch, children };
      }),
    );
    clearInterval(progress);
    const lastFinished = Math.max(...finishedAt.values());
    const runMs = lastFinished - started;
    const allChildren = done.flatMap((d) => d.children);
    const usersLost = allChildren.filter((c) => c.status !== 'completed').length;
    const stillEnabled = allChildren.filter(
      (c) => standin.state.users.get(c.target.id)?.accountEnabled !== false,
    ).length;
    if (stillEnabled > 0) throw new Error(`${stillEnabled} accounts still enabled`);

    const limit = standin.writeLimits.get(clientId);
    const scaledWindow = GRAPH_WRITE_BUDGET.windowMs / timeScale;
    const first = limit?.firstAt ?? started;
    const last = limit?.lastAt ?? lastFinished;
    const span = last - first;
    const accepted = limit?.accepted ?? 0;
    const allowed = GRAPH_WRITE_BUDGET.budget * (1 + span / scaledWindow);
    const afterFirst = limit ? limit.acceptedAfter(first + scaledWindow) : 0;
    const sustained =
      span > scaledWindow
        ? afterFirst / (span - scaledWindow) / (GRAPH_WRITE_BUDGET.budget / scaledWindow)
        : 0;
    const calls = standin.log.calls;
    return {
      variant: variant.label,
      users,
      instances: instances.length,
      runMs,
      writesAccepted: accepted,
      shareOfBudgetRate: round2(accepted / ((GRAPH_WRITE_BUDGET.budget / scaledWindow) * runMs)),
      writesAllowedAtMost: Math.round(allowed),
      shareOfSlidingWindowMax: round2(accepted / allowed),
      sustainedShareAfterFirstWindow: round2(sustained),
      usersLost,
      throttled429: calls.filter((c) => c.status === 429).length,
      writes429: limit?.throttled ?? 0,
      httpRequests: calls.filter((c) => !c.insideBatch).length,
      graphOperations: calls.filter((c) => c.route !== 'POST /$batch').length,
      batchRequests: standin.log.httpCount('POST /$batch'),
      cardEdits: instances.reduce((n, i) => n + i.notifier.edits, 0),
      eta: etaAccuracy(
        instances.flatMap((i) => i.notifier.reads),
        finishedAt,
        started,
        lastFinished,
      ),
    };
  } finally {
    await Promise.all(instances.map((i) => i.close()));
    await standin.stop();
  }
}

async function debugDump(on: Instance, batchIds: string[]): Promise<void> {
  for (const batchId of batchIds) {
    const batch = await on.store.batches.getBatch(batchId);
    const children = await on.store.batches.listChildren(batchId);
    const open = children.filter((c) => c.status !== 'completed');
    if (open.length === 1) process.stderr.write(`  stuck: ${JSON.stringify(open[0])}\n`);
    const steps = open.flatMap((c) => c.steps.map((s) => `${s.kind}:${s.status}`));
    const counts = new Map<string, number>();
    for (const s of steps) counts.set(s, (counts.get(s) ?? 0) + 1);
    process.stderr.write(
      `  ${batchId} ${batch?.status} open=${open.length} ${JSON.stringify([...counts])}\n`,
    );
  }
}

async function untilFinal(on: Instance, batchId: string, maxMs: number): Promise<BatchRequest> {
  const deadline = Date.now() + maxMs;
  for (;;) {
    const batch = await on.service.getBatch(batchId);
    if (batch && isBatchFinal(batch.status)) return batch;
    if (Date.now() > deadline) throw new Error(`batch ${batchId} did not finish`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * At several points of the run, each still-running batch's latest card: the finish it predicted
 * (time of the card + its ETA) against the batch's actual last finish.
 */
function etaAccuracy(
  reads: CardRead[],
  finishedAt: Map<string, number>,
  started: number,
  lastFinished: number,
): EtaPoint[] {
  const points: EtaPoint[] = [];
  for (const share of [0.1, 0.25, 0.5, 0.75, 0.9]) {
    const at = started + share * (lastFinished - started);
    const errors: number[] = [];
    const misses: number[] = [];
    const actuals: number[] = [];
    for (const [batchId, finished] of finishedAt) {
      if (finished <= at) continue;
      const latest = reads
        .filter((r) => r.batchId === batchId && r.at <= at && r.remainingMs !== undefined)
        .at(-1);
      if (!latest || latest.remainingMs === undefined) continue;
      const actual = finished - latest.at;
      if (actual <= 0) continue;
      errors.push((latest.remainingMs - actual) / actual);
      misses.push(Math.abs(latest.remainingMs - actual) / 1_000);
      actuals.push(actual / 1_000);
    }
    const mean = (xs: number[]) =>
      xs.length === 0 ? 0 : xs.reduce((s, x) => s + x, 0) / xs.length;
    points.push({
      atShareOfRun: share,
      meanAbsError: round2(mean(errors.map(Math.abs))),
      meanSignedError: round2(mean(errors)),
      meanAbsErrorSeconds: Math.round(mean(misses)),
      meanActualSeconds: Math.round(mean(actuals)),
      batches: errors.length,
    });
  }
  return points;
}
