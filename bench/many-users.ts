// (b) Many users at once against a Graph that throttles: every user gets the single-user plan and
// its own run of the engine (the per-user path a batch request would reuse), all started together;
// the stand-in answers 429 with Retry-After past its rate, and the engine honours it. Compared
// with revoking the same users one at a time.
import { SqliteRequestStore } from '../src/store';
import { GraphRateLimit } from '../test/support/entra-standin';
import { benchEngine, runningRequest, snapshotOf, startGraphBench } from './graph-fixture';
import { CALL_LATENCY_MS, round2 } from './single-user';

export interface ManyUsersResult {
  users: number;
  devicesPerUser: number;
  latencyMsPerCall: number;
  standinRateLimitPerSecond: number;
  concurrentRuns: number;
  totalMs: number;
  graphCalls: number;
  throttled429: number;
  completed: number;
  usersPerSecond: number;
  oneAtATimeSampleUsers: number;
  oneAtATimeSampleMs: number;
  oneAtATimeEstimatedMs: number;
  oneAtATimeOverConcurrent: number;
}

export async function benchManyUsers(
  users = 500,
  ratePerSecond = 400,
  concurrentRuns = 500,
  sample = 40,
): Promise<ManyUsersResult> {
  const graph = await startGraphBench();
  const store = new SqliteRequestStore(':memory:');
  try {
    const make = (prefix: string, count: number) =>
      Array.from({ length: count }, (_, i) => {
        const user = graph.standin.state.addUser({
          userPrincipalName: `${prefix}${i}@contoso.test`,
          displayName: `${prefix} ${i}`,
        });
        const device = graph.standin.state.addDevice({
          displayName: `${prefix}-${i}-laptop`,
          registeredUserIds: [user.id],
        });
        return runningRequest(`R-${prefix}-${i}`, snapshotOf(user, 1), [device], false);
      });
    const batch = make('mass', users);
    const oneByOne = make('solo', sample);
    for (const request of [...batch, ...oneByOne]) await store.create(request);
    await graph.directory.getUser(batch[0]!.target.id); // token cache warm
    graph.standin.latencyMs = CALL_LATENCY_MS;
    graph.standin.rateLimit = new GraphRateLimit({ perSecond: ratePerSecond });
    graph.standin.log.reset();

    const engine = benchEngine(store, graph.directory, undefined, 4);
    const started = performance.now();
    let next = 0;
    const worker = async () => {
      while (next < batch.length) await engine.run(batch[next++]!.id);
    };
    await Promise.all(Array.from({ length: Math.min(concurrentRuns, users) }, worker));
    const totalMs = performance.now() - started;
    const calls = graph.standin.log.calls;
    const graphCalls = calls.length;
    const throttled429 = calls.filter((c) => c.status === 429).length;
    const finished = await store.listByStatus(['completed']);
    const completed = finished.filter((r) => r.id.startsWith('R-mass-')).length;

    const soloStarted = performance.now();
    for (const request of oneByOne) await engine.run(request.id);
    const sampleMs = performance.now() - soloStarted;
    const estimated = (sampleMs / sample) * users;
    return {
      users,
      devicesPerUser: 1,
      latencyMsPerCall: CALL_LATENCY_MS,
      standinRateLimitPerSecond: ratePerSecond,
      concurrentRuns,
      totalMs: Math.round(totalMs),
      graphCalls,
      throttled429,
      completed,
      usersPerSecond: round2(users / (totalMs / 1_000)),
      oneAtATimeSampleUsers: sample,
      oneAtATimeSampleMs: Math.round(sampleMs),
      oneAtATimeEstimatedMs: Math.round(estimated),
      oneAtATimeOverConcurrent: round2(estimated / totalMs),
    };
  } finally {
    await store.close();
    await graph.stop();
  }
}
