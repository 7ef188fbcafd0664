// `npm run bench`: the three benchmarks one after another, then JSON and a short table. Not part
// of the test suite; finishes in well under three minutes on two cores.
import { cpus, totalmem } from 'node:os';
import { benchBotOverhead, type BotOverheadResult } from './bot-overhead';
import { benchManyUsers, type ManyUsersResult } from './many-users';
import { benchSingleUser, type SingleUserResult } from './single-user';
import { AFTER, BEFORE, benchWave, SHARED, type WaveResult } from './wave';

async function main(): Promise<void> {
  const which = new Set(process.argv.slice(2));
  const want = (name: string) => (which.size === 0 || which.has(name)) && !which.has('wave');
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
  const results: Record<string, unknown> = { machine };
  const started = Date.now();
  if (want('single')) results['singleUser'] = await benchSingleUser();
  if (want('many')) results['manyUsers'] = await benchManyUsers();
  // Not in the default set (it adds a minute): the gated run also keeps to Graph's documented
  // write budget, GRAPH_WRITES_PER_150S=3000, as production does by default.
  if (which.has('many-writes'))
    results['manyUsers'] = await benchManyUsers(500, 400, 50, 40, 3_000);
  if (want('bot')) results['botOverhead'] = await benchBotOverhead();
  // Not in the default set (minutes, and PostgreSQL): `wave [users] [timeScale] [variants]`, e.g.
  // `npm run bench -- wave 10000 1.5` (before and after) or `wave 3000 1.5 shared,after`.
  const wave = process.argv.indexOf('wave');
  if (wave >= 0) {
    const [users, scale, which] = process.argv.slice(wave + 1);
    const named = { before: BEFORE, shared: SHARED, after: AFTER };
    const variants = (which ?? 'before,after')
      .split(',')
      .map((v) => named[v as keyof typeof named])
      .filter((v) => v !== undefined);
    results['wave'] = await benchWave(
      Number(users ?? 10_000) || 10_000,
      Number(scale ?? 1.5) || 1.5,
      variants,
    );
  }
  results['benchSeconds'] = Math.round((Date.now() - started) / 100) / 10;
  console.log(JSON.stringify(results, null, 2));
  console.log(table(results));
}

function table(results: Record<string, unknown>): string {
  const rows: [string, string][] = [];
  const a = results['singleUser'] as SingleUserResult | undefined;
  if (a) {
    rows.push(['(a) one user, 50 ms/call: approval → verified', `${a.measuredMs} ms`]);
    rows.push([
      '    critical-path lower bound',
      `${a.criticalPathLowerBoundMs} ms  (×${a.ratioToLowerBound})`,
    ]);
    rows.push([
      '    runbook calls one after another',
      `${a.sequentialMeasuredMs} ms  (${a.sequentialOverMeasured}× slower)`,
    ]);
  }
  const b = results['manyUsers'] as ManyUsersResult | undefined;
  if (b) {
    rows.push([
      `(b) ${b.users} users as one batch, Graph throttled at ${b.standinRateLimitPerSecond}/s`,
      `${b.concurrentUsers} users at once, ${b.latencyMsPerCall} ms/call`,
    ]);
    for (const [label, run, ratio] of [
      [
        `    gate at ${b.standinRateLimitPerSecond} units/s${b.gateWritesPer150s ? `, ${b.gateWritesPer150s} writes/150 s` : ''}`,
        b.gated,
        b.oneAtATimeOverGated,
      ],
      [
        `    gate at ${b.gatedWithMargin.gateUnitsPerSecond ?? ''} units/s (10 % margin)`,
        b.gatedWithMargin,
        b.oneAtATimeOverGatedWithMargin,
      ],
      ['    gate unlimited (429 pauses only)', b.ungated, b.oneAtATimeOverUngated],
    ] as const) {
      rows.push([
        label,
        `${run.runMs} ms (closed at ${run.closedMs} ms), ${run.graphCalls} calls, ${run.throttled429} × 429, ${run.fullyRevoked} fully revoked, ${run.cardEdits} card edits; ×${ratio} vs one at a time`,
      ]);
    }
    rows.push(['    lookups behind the card (command → card)', `${b.gated.lookupMs} ms`]);
    rows.push([
      '    one user at a time (estimated)',
      `${b.oneAtATimeEstimatedMs} ms  (${b.oneAtATimeSampleUsers} users measured)`,
    ]);
  }
  const c = results['botOverhead'] as BotOverheadResult | undefined;
  if (c) {
    rows.push([
      `(c) command → card, ${c.commands} cmds, ${c.concurrency} at once`,
      `p50 ${c.p50Ms} ms, p99 ${c.p99Ms} ms`,
    ]);
    rows.push([
      '    bot CPU per command (idle removed)',
      `${c.cpuMsPerCommand} ms (system ${c.systemCpuMsPerCommand} ms)`,
    ]);
    const { approvals } = c;
    rows.push([
      `    approval invokes, ${approvals.requests} requests, ${approvals.concurrency} at once`,
      `first p50 ${approvals.first.p50Ms} ms, p99 ${approvals.first.p99Ms} ms; final (completes, starts the run) p50 ${approvals.final.p50Ms} ms, p99 ${approvals.final.p99Ms} ms`,
    ]);
  }
  const d = results['wave'] as WaveResult | undefined;
  if (d) {
    rows.push([
      `(d) ${d.users}-user wave, 2 instances, PostgreSQL`,
      `write budget ${d.writeBudget.budget} / ${d.writeBudget.windowMs / 1_000} s on a clock ×${d.timeScale} (window ${d.writeBudget.scaledWindowMs / 1_000} s), ${d.latencyMsPerCall} ms/call`,
    ]);
    for (const run of d.runs) {
      rows.push([
        `    ${run.variant}`,
        `${Math.round(run.runMs / 100) / 10} s; ${Math.round(run.shareOfBudgetRate * 100)} % of the write budget's rate over the run (${run.writesAccepted} writes); ${Math.round(run.shareOfSlidingWindowMax * 100)} % of the sliding window's maximum (${run.writesAllowedAtMost}), ${Math.round(run.sustainedShareAfterFirstWindow * 100)} % after the first window; ${run.usersLost} users lost; ${run.throttled429} × 429 (${run.writes429} on writes); ${run.httpRequests} HTTP requests for ${run.graphOperations} operations (${run.batchRequests} $batch)`,
      ]);
      rows.push([
        '      ETA error (mean |predicted − actual| ÷ actual)',
        run.eta
          .map(
            (p) =>
              `${Math.round(p.atShareOfRun * 100)} %: ${Math.round(p.meanAbsError * 100)} % (${p.meanSignedError >= 0 ? '+' : ''}${Math.round(p.meanSignedError * 100)} %; ${p.meanAbsErrorSeconds} s off ${p.meanActualSeconds} s left; ${p.batches} cards)`,
          )
          .join('; '),
      ]);
    }
  }
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
