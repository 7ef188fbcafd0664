// (b) Mass revocation against a Graph that throttles: `users …` for 500 cloud-only users (one
// device each) through the BatchService: the lookups behind the card, two approvals, then every
// child run by the ordinary engine, 50 at a time, each call through the RateGate. The stand-in
// answers 429 + Retry-After past 400 units/s. Run three times: with the gate at the stand-in's limit,
// 10 % under it, and with a gate that never holds a call back (it still pauses everyone on a
// 429's Retry-After). Each is compared with revoking the same users one at a time.
import type { RateLimits } from '../src/core/batch/rate-gate';
import type { BatchRequest } from '../src/core/batch/batch-model';
import { parseBatchCommand } from '../src/core/batch/parse-batch-command';
import { batchProgress } from '../src/core/batch/batch-progress';
import { isBatchFinal } from '../src/core/batch/batch-model';
import type { Person } from '../src/core/model';
import { SqliteRequestStore } from '../src/store';
import { GraphRateLimit } from '../test/support/entra-standin';
import { batchBench } from './batch-fixture';
import {
  benchEngine,
  runningRequest,
  snapshotOf,
  startGraphBench,
  type GraphBench,
} from './graph-fixture';
import { CALL_LATENCY_MS, round2 } from './single-user';

export interface BatchRunResult {
  /** Units per second the RateGate lets through; null when it holds nothing back. */
  gateUnitsPerSecond: number | null;
  /** `users …` → card: the lookups and plans of every listed user. */
  lookupMs: number;
  /** Final approval → the last user's run finished (its steps verified). */
  runMs: number;
  /** Final approval → the batch closed; it closes at a card refresh, at most one per 5 s. */
  closedMs: number;
  /** Graph calls made by the run (after approval), 429s included. */
  graphCalls: number;
  throttled429: number;
  /** Calls the gate held back at least once, and the global pauses 429s caused. */
  gateWaits: number;
  gatePauses: number;
  fullyRevoked: number;
  /** Card edits the run caused (coalesced to one per 5 s at most). */
  cardEdits: number;
  usersPerSecond: number;
}

export interface ManyUsersResult {
  users: number;
  devicesPerUser: number;
  latencyMsPerCall: number;
  standinRateLimitPerSecond: number;
  concurrentUsers: number;
  /** The write budget the gated run also kept to; null when writes were not paced. */
  gateWritesPer150s: number | null;
  gated: BatchRunResult;
  /** The gate 10 % under the limit, so arrival jitter does not tip a second over it. */
  gatedWithMargin: BatchRunResult;
  ungated: BatchRunResult;
  oneAtATimeSampleUsers: number;
  oneAtATimeSampleMs: number;
  oneAtATimeEstimatedMs: number;
  oneAtATimeOverGated: number;
  oneAtATimeOverGatedWithMargin: number;
  oneAtATimeOverUngated: number;
}

const UNLIMITED: RateLimits = {
  units: { budget: 1_000_000_000, windowMs: 1_000 },
  writes: { budget: 1_000_000_000, windowMs: 1_000 },
};

/**
 * The stand-in's own limit, as the gate counts it: no more than `perSecond` units in any second.
 * The stand-in does not count writes, so neither does the gate, unless `writesPer150s` asks for
 * Graph's documented write budget (GRAPH_WRITES_PER_150S) to be paced as in production.
 */
function atLimit(perSecond: number, writesPer150s?: number): RateLimits {
  return {
    units: { budget: perSecond, windowMs: 1_000 },
    writes:
      writesPer150s === undefined ? UNLIMITED.writes : { budget: writesPer150s, windowMs: 150_000 },
  };
}

export async function benchManyUsers(
  users = 500,
  ratePerSecond = 400,
  concurrentUsers = 50,
  sample = 40,
  /** Also pace writes at this budget per 150 s (production's default is 3,000). */
  writesPer150s?: number,
): Promise<ManyUsersResult> {
  const graph = await startGraphBench();
  try {
    const state = graph.standin.state;
    const person = (upn: string, name: string): Person => {
      const user = state.addUser({ userPrincipalName: upn, displayName: name });
      return { id: user.id, name, upn };
    };
    const requester = person('bench.requester@contoso.test', 'Bench Requester');
    const approvers = [
      person('bench.approver1@contoso.test', 'Approver One'),
      person('bench.approver2@contoso.test', 'Approver Two'),
    ];
    const group = state.addGroup({
      displayName: 'Revoke approvers',
      memberIds: approvers.map((a) => a.id),
    });
    const upnsOf = (prefix: string, count: number) =>
      Array.from({ length: count }, (_, i) => {
        const user = state.addUser({
          userPrincipalName: `${prefix}${i}@contoso.test`,
          displayName: `${prefix} ${i}`,
        });
        state.addDevice({ displayName: `${prefix}-${i}-laptop`, registeredUserIds: [user.id] });
        return user.userPrincipalName;
      });
    const gatedUpns = upnsOf('gated', users);
    const marginUpns = upnsOf('margin', users);
    const ungatedUpns = upnsOf('free', users);
    await graph.directory.getUser(requester.id); // token cache warm
    graph.standin.latencyMs = CALL_LATENCY_MS;
    graph.standin.rateLimit = new GraphRateLimit({ perSecond: ratePerSecond });

    const run = (upns: string[], limits: RateLimits, unitsPerSecond: number | null) =>
      runBatch(graph, upns, limits, unitsPerSecond, {
        requester,
        approvers,
        approverGroupId: group.id,
        concurrentUsers,
      });
    const gated = await run(gatedUpns, atLimit(ratePerSecond, writesPer150s), ratePerSecond);
    await pauseForStandinWindow();
    const margin = Math.floor(ratePerSecond * 0.9);
    const gatedWithMargin = await run(marginUpns, atLimit(margin, writesPer150s), margin);
    await pauseForStandinWindow();
    const ungated = await run(ungatedUpns, UNLIMITED, null);
    await pauseForStandinWindow();
    const sampleMs = await oneAtATime(graph, sample);
    const estimated = (sampleMs / sample) * users;
    return {
      users,
      devicesPerUser: 1,
      latencyMsPerCall: CALL_LATENCY_MS,
      standinRateLimitPerSecond: ratePerSecond,
      concurrentUsers,
      gateWritesPer150s: writesPer150s ?? null,
      gated,
      gatedWithMargin,
      ungated,
      oneAtATimeSampleUsers: sample,
      oneAtATimeSampleMs: Math.round(sampleMs),
      oneAtATimeEstimatedMs: Math.round(estimated),
      oneAtATimeOverGated: round2(estimated / gated.runMs),
      oneAtATimeOverGatedWithMargin: round2(estimated / gatedWithMargin.runMs),
      oneAtATimeOverUngated: round2(estimated / ungated.runMs),
    };
  } finally {
    await graph.stop();
  }
}

async function runBatch(
  graph: GraphBench,
  upns: string[],
  limits: RateLimits,
  unitsPerSecond: number | null,
  people: {
    requester: Person;
    approvers: Person[];
    approverGroupId: string;
    concurrentUsers: number;
  },
): Promise<BatchRunResult> {
  const bench = batchBench(graph.directory, limits, people.approverGroupId, people.concurrentUsers);
  try {
    const lookupStarted = performance.now();
    const batch = await bench.service.requestBatch({
      command: parseBatchCommand(`users ${upns.join(' ')} Benchmark of a phishing wave`),
      requester: people.requester,
      conversationReference: '{}',
    });
    const lookupMs = performance.now() - lookupStarted;
    if (batch.members.length !== upns.length) {
      throw new Error(`only ${batch.members.length} of ${upns.length} users were looked up`);
    }
    graph.standin.log.reset();
    const waitsBefore = bench.gate.stats.waited;
    const pausesBefore = bench.gate.stats.pauses;
    const editsBefore = bench.notifier.edits;
    const started = performance.now();
    const startedAt = Date.now();
    for (const approver of people.approvers) {
      const answer = await bench.service.handleCardAction('approve', batch.id, approver);
      if (!answer.accepted) throw new Error(answer.message);
    }
    const done = await finished(bench.service.getBatch.bind(bench.service), batch.id);
    const closedMs = performance.now() - started;
    const calls = graph.standin.log.calls;
    const children = await bench.store.batches.listChildren(done.id);
    const progress = batchProgress(children);
    const lastFinished = Math.max(...children.map((c) => Date.parse(c.finishedAt ?? '')));
    if (!Number.isFinite(lastFinished)) throw new Error('a child has no finishing time');
    const runMs = lastFinished - startedAt;
    return {
      gateUnitsPerSecond: unitsPerSecond,
      lookupMs: Math.round(lookupMs),
      runMs: Math.round(runMs),
      closedMs: Math.round(closedMs),
      graphCalls: calls.length,
      throttled429: calls.filter((c) => c.status === 429).length,
      gateWaits: bench.gate.stats.waited - waitsBefore,
      gatePauses: bench.gate.stats.pauses - pausesBefore,
      fullyRevoked: progress.fully,
      cardEdits: bench.notifier.edits - editsBefore,
      usersPerSecond: round2(upns.length / (runMs / 1_000)),
    };
  } finally {
    await bench.close();
  }
}

async function finished(
  get: (id: string) => Promise<BatchRequest | undefined>,
  id: string,
): Promise<BatchRequest> {
  const deadline = Date.now() + 170_000;
  for (;;) {
    const batch = await get(id);
    if (batch && isBatchFinal(batch.status)) return batch;
    if (Date.now() > deadline) throw new Error(`batch ${id} did not finish`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The same plan for `sample` users, one after another (no throttling at that pace). */
async function oneAtATime(graph: GraphBench, sample: number): Promise<number> {
  const store = new SqliteRequestStore(':memory:');
  try {
    const requests = Array.from({ length: sample }, (_, i) => {
      const user = graph.standin.state.addUser({
        userPrincipalName: `solo${i}@contoso.test`,
        displayName: `solo ${i}`,
      });
      const device = graph.standin.state.addDevice({
        displayName: `solo-${i}-laptop`,
        registeredUserIds: [user.id],
      });
      return runningRequest(`R-solo-${i}`, snapshotOf(user, 1), [device], false);
    });
    for (const request of requests) await store.create(request);
    const engine = benchEngine(store, graph.directory, undefined, 4);
    const started = performance.now();
    for (const request of requests) await engine.run(request.id);
    return performance.now() - started;
  } finally {
    await store.close();
  }
}

/** Lets the stand-in's one-second window roll over, so one run's tail does not throttle the next. */
function pauseForStandinWindow(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 1_100));
}
