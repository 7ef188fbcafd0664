// (a) One user, every call 50 ms away: the engine's time from the final approval to every step
// verified, next to the critical-path lower bound for the same plan (the longest dependency chain
// of calls, 50 ms each) and next to the runbook's calls made one after another.
import { systemClock } from '../src/core/clock';
import type { RevocationRequest, Step } from '../src/core/model';
import type { OnPremDirectory } from '../src/core/ports';
import { loadSandboxTenant } from '../src/directory/sandbox';
import { SqliteRequestStore } from '../src/store';
import type { StandinDevice, StandinUser } from '../test/support/entra-standin';
import { benchEngine, runningRequest, snapshotOf, startGraphBench } from './graph-fixture';

export const CALL_LATENCY_MS = 50;

export interface SingleUserResult {
  latencyMsPerCall: number;
  steps: number;
  callsPerStep: Record<string, number>;
  totalCalls: number;
  longestChain: string[];
  measuredMs: number;
  criticalPathLowerBoundMs: number;
  sequentialMeasuredMs: number;
  sequentialCallsTimesLatencyMs: number;
  ratioToLowerBound: number;
  sequentialOverMeasured: number;
}

/** Counts on-prem calls with the time each one answered, so they can be attributed to steps. */
function timedOnPrem(inner: OnPremDirectory, stamps: number[]): OnPremDirectory {
  const wrap =
    <A extends unknown[], R>(f: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const result = await f(...args);
      stamps.push(Date.now());
      return result;
    };
  return {
    findAccount: wrap((ref) => inner.findAccount(ref)),
    disableAccount: wrap((dn) => inner.disableAccount(dn)),
    resetPasswordToRandom: wrap((dn) => inner.resetPasswordToRandom(dn)),
  };
}

export async function benchSingleUser(): Promise<SingleUserResult> {
  const graph = await startGraphBench();
  const sandbox = await loadSandboxTenant(undefined, { clock: systemClock });
  sandbox.behaviour.latencyMs = CALL_LATENCY_MS;
  const adStamps: number[] = [];
  const onPrem = timedOnPrem(sandbox.onPrem, adStamps);
  const store = new SqliteRequestStore(':memory:');
  try {
    // Two synced users whose AD twins exist in the sandbox AD: one per run.
    const twins = ['alice.johnson@contoso.com', 'dana.obrien@contoso.com'];
    const targets: { user: StandinUser; devices: StandinDevice[] }[] = [];
    for (const upn of twins) {
      const ad = await sandbox.directory.findUser(upn);
      if (!ad) throw new Error(`sandbox has no ${upn}`);
      const user = graph.standin.state.addUser({
        userPrincipalName: `bench.${upn}`,
        displayName: ad.displayName,
        onPremisesSyncEnabled: true,
        onPremisesSamAccountName: ad.onPremisesSamAccountName ?? null,
        onPremisesSecurityIdentifier: ad.onPremisesSecurityIdentifier ?? null,
      });
      const devices = Array.from({ length: 3 }, (_, i) =>
        graph.standin.state.addDevice({
          displayName: `${ad.displayName} device ${i + 1}`,
          registeredUserIds: [user.id],
        }),
      );
      targets.push({ user, devices });
    }
    // Warm the token cache: the token call is not part of a revocation's cost.
    await graph.directory.getUser(targets[0]!.user.id);
    graph.standin.latencyMs = CALL_LATENCY_MS;

    const run = async (
      index: number,
      concurrency: number,
    ): Promise<[number, RevocationRequest]> => {
      const { user, devices } = targets[index]!;
      const request = runningRequest(`R-BENCH-A${index}`, snapshotOf(user, 3), devices, true);
      await store.create(request);
      const engine = benchEngine(store, graph.directory, onPrem, concurrency);
      const started = performance.now();
      await engine.run(request.id);
      const ms = performance.now() - started;
      const done = await store.get(request.id);
      if (done?.status !== 'completed')
        throw new Error(
          `bench run ended ${done?.status}: ${JSON.stringify(done?.steps.map((s) => s.error))}`,
        );
      return [ms, done];
    };

    // Sequential first: with one step at a time, every call falls inside its own step's interval.
    graph.standin.log.reset();
    adStamps.length = 0;
    const [sequentialMs, sequential] = await run(1, 1);
    const graphStamps = graph.standin.log.calls.map((c) => c.at);
    const callsPerStep = attribute(sequential.steps, [...graphStamps, ...adStamps]);
    const totalCalls = graphStamps.length + adStamps.length;

    const [measuredMs] = await run(0, 4);
    const chain = longestChain(sequential.steps, callsPerStep);
    const chainCalls = chain.reduce((sum, id) => sum + (callsPerStep[id] ?? 0), 0);
    const lowerBound = chainCalls * CALL_LATENCY_MS;
    return {
      latencyMsPerCall: CALL_LATENCY_MS,
      steps: sequential.steps.length,
      callsPerStep,
      totalCalls,
      longestChain: chain,
      measuredMs: Math.round(measuredMs),
      criticalPathLowerBoundMs: lowerBound,
      sequentialMeasuredMs: Math.round(sequentialMs),
      sequentialCallsTimesLatencyMs: totalCalls * CALL_LATENCY_MS,
      ratioToLowerBound: round2(measuredMs / lowerBound),
      sequentialOverMeasured: round2(sequentialMs / measuredMs),
    };
  } finally {
    await store.close();
    await graph.stop();
  }
}

function attribute(steps: Step[], stamps: number[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const step of steps) {
    const from = Date.parse(step.startedAt ?? '');
    const to = Date.parse(step.finishedAt ?? '') + 1;
    counts[step.id] = stamps.filter((t) => t >= from && t <= to).length;
  }
  return counts;
}

/** The dependency chain with the most calls: no schedule can finish sooner than its calls. */
function longestChain(steps: Step[], calls: Record<string, number>): string[] {
  const memo = new Map<string, string[]>();
  const byId = new Map(steps.map((s) => [s.id, s]));
  const cost = (chain: string[]) => chain.reduce((n, id) => n + (calls[id] ?? 0), 0);
  const upTo = (id: string): string[] => {
    const cached = memo.get(id);
    if (cached) return cached;
    const before = (byId.get(id)?.dependsOn ?? []).map(upTo);
    const best = before.reduce<string[]>((a, b) => (cost(b) > cost(a) ? b : a), []);
    const chain = [...best, id];
    memo.set(id, chain);
    return chain;
  };
  return steps.map((s) => upTo(s.id)).reduce<string[]>((a, b) => (cost(b) > cost(a) ? b : a), []);
}

export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
