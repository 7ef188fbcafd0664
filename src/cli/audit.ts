// `npm run audit -- verify` checks the audit trail's hash chain and names the first broken
// record; `npm run audit -- export [--since <ISO time>]` prints the records as JSON lines.
// Reads DATABASE_URL like the bot does, so it inspects the same database.
import { openAuditLog } from '../store';

const USAGE = 'usage: audit verify | audit export [--since <ISO 8601 time>]';

export async function runAuditCli(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  out: (line: string) => void,
): Promise<number> {
  const [command, ...rest] = argv;
  const log = openAuditLog(env['DATABASE_URL'] ?? 'sqlite:./data/revoke.db');
  try {
    if (command === 'verify') {
      const result = await log.verify();
      if (result.ok) {
        out(`audit trail intact: ${result.records} record(s), last hash ${result.lastHash}`);
        return 0;
      }
      out(
        `audit trail BROKEN at record ${result.brokenAt}: ${result.reason} (${result.records} record(s) before it verified)`,
      );
      return 1;
    }
    if (command === 'export') {
      const since = readSince(rest);
      if (since === null) {
        out(USAGE);
        return 2;
      }
      for (const record of log.records(since)) out(JSON.stringify(record));
      return 0;
    }
    out(USAGE);
    return 2;
  } finally {
    await log.close();
  }
}

/** undefined: no filter; null: a bad argument. */
function readSince(args: readonly string[]): string | undefined | null {
  if (args.length === 0) return undefined;
  if (args.length !== 2 || args[0] !== '--since') return null;
  const value = args[1] ?? '';
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

if (require.main === module) {
  runAuditCli(process.argv.slice(2), process.env, (line) => process.stdout.write(`${line}\n`)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`audit: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
