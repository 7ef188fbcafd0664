// Where a `node --cpu-prof` profile's time went: self time by package or source file, and
// inclusive (self + callees) time by function, each as a share of the samples taken while the
// process was not idle. For the `bot` benchmark:
//   BENCH_CPU_PROF=$(mktemp -d) npm run bench -- bot
//   node .tmp/bench-dist/bench/cpu-profile-summary.js <that dir>/*.cpuprofile [rows]
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** node_modules/<package>, src/<file>, or node's own (`node:…`, GC, program). */
function placeOf(url: string): string {
  if (url === '') return '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1] ?? url;
  const own = /\/(src|bench|test)\/(.+)$/.exec(url);
  if (own) return `${own[1]}/${own[2]}`;
  return url.startsWith('node:') ? url : url.replace(/^.*\//, '');
}

function summarise(profile: Profile, rows: number): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const owner = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const micros = profile.timeDeltas[i] ?? 0;
    const node = byId.get(id);
    if (!node || node.callFrame.functionName === '(idle)') return;
    busy += micros;
    const place = placeOf(node.callFrame.url);
    const name = node.callFrame.functionName || '(anonymous)';
    const selfKey = place === '(native)' ? name : place;
    self.set(selfKey, (self.get(selfKey) ?? 0) + micros);
    // Charged to the innermost frame of Revoke's own code, whatever library did the work.
    let own = '(no Revoke frame)';
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (frame && /\/src\//.test(frame.url)) {
        own = `${frame.functionName || '(anonymous)'} ${placeOf(frame.url)}:${frame.lineNumber + 1}`;
        break;
      }
    }
    owner.set(own, (owner.get(own) ?? 0) + micros);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (!frame || frame.url === '') continue;
      const key = `${frame.functionName || '(anonymous)'} ${placeOf(frame.url)}:${frame.lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + micros);
    }
  });
  const table = (title: string, map: Map<string, number>) =>
    [
      title,
      ...[...map.entries()]
        .sort(([, a], [, b]) => b - a)
        .slice(0, rows)
        .map(
          ([key, micros]) =>
            `${((100 * micros) / busy).toFixed(1).padStart(5)} %  ${(micros / 1_000).toFixed(0).padStart(6)} ms  ${key}`,
        ),
    ].join('\n');
  return [
    `busy ${(busy / 1_000).toFixed(0)} ms`,
    table('self time by place:', self),
    table("by the innermost of Revoke's own functions on the stack:", owner),
    table('inclusive time by function:', inclusive),
  ].join('\n\n');
}

const [file, rows] = process.argv.slice(2);
if (!file) {
  console.error('usage: cpu-profile-summary <file.cpuprofile> [rows]');
  process.exit(2);
}
console.log(summarise(JSON.parse(readFileSync(file, 'utf8')) as Profile, Number(rows ?? 40)));
