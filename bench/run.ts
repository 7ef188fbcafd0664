// `npm run bench`: the three benchmarks one after another, then JSON and a short table. Not part
// of the test suite; finishes in well under three minutes on two cores.
import { cpus, totalmem } from 'node:os';
import { benchBotOverhead, type BotOverheadResult } from './bot-overhead';
import { benchManyUsers, type ManyUsersResult } from './many-users';
import { benchSingleUser, type SingleUserResult } from './single-user';

async function main(): Promise<void> {
  const which = new Set(process.argv.slice(2));
  const want = (name: string) => which.size === 0 || which.has(name);
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
  if (want('bot')) results['botOverhead'] = await benchBotOverhead();
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
      `(b) ${b.users} users, Graph throttled at ${b.standinRateLimitPerSecond}/s`,
      `${b.totalMs} ms, ${b.graphCalls} calls, ${b.throttled429} × 429`,
    ]);
    rows.push([
      '    one user at a time (estimated)',
      `${b.oneAtATimeEstimatedMs} ms  (${b.oneAtATimeOverConcurrent}× slower)`,
    ]);
  }
  const c = results['botOverhead'] as BotOverheadResult | undefined;
  if (c) {
    rows.push([
      `(c) command → card, ${c.commands} cmds, ${c.concurrency} at once`,
      `p50 ${c.p50Ms} ms, p99 ${c.p99Ms} ms`,
    ]);
  }
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
