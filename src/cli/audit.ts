// `revoke audit verify [--anchor <hash>]` checks the audit trail's hash chain and names the first
// broken record; `revoke audit export [--since <ISO time>]` prints the records as JSON lines.
// (`npm run audit -- …` runs the same code.) Reads DATABASE_URL like the bot does, so it
// inspects the same database.
//
// The chain alone cannot tell a trail cut short from one that simply ended: the newest records
// can be deleted without breaking any link. An anchor (a hash printed by an earlier verify and
// kept outside the database) closes that gap: verify then also requires that record to exist.
import type { AuditRecord } from '../core/audit-event';
import { openAuditLog } from '../store';

export const AUDIT_USAGE =
  'usage: audit verify [--anchor <hash>] | audit export [--since <ISO 8601 time>]';

export async function runAuditCli(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  out: (line: string) => void,
): Promise<number> {
  const [command, ...rest] = argv;
  const log = await openAuditLog(env['DATABASE_URL'] ?? 'sqlite:./data/revoke.db');
  try {
    if (command === 'verify') {
      const anchor = readOption(rest, '--anchor', (value) => /^[0-9a-f]{64}$/.test(value));
      if (anchor === null) {
        out(AUDIT_USAGE);
        return 2;
      }
      const result = await log.verify();
      if (result.ok && anchor !== undefined && !(await holdsHash(log.records(), anchor))) {
        out(
          `audit trail TRUNCATED: no record has the anchor hash ${anchor} (${result.records} record(s) verified)`,
        );
        return 1;
      }
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
      const since = readOption(rest, '--since', (value) => !Number.isNaN(Date.parse(value)));
      if (since === null) {
        out(AUDIT_USAGE);
        return 2;
      }
      const from = since === undefined ? undefined : new Date(Date.parse(since)).toISOString();
      for await (const record of log.records(from)) out(JSON.stringify(record));
      return 0;
    }
    out(AUDIT_USAGE);
    return 2;
  } finally {
    await log.close();
  }
}

/** undefined: not given; null: a bad argument (anything else, or a value `valid` refuses). */
function readOption(
  args: readonly string[],
  name: string,
  valid: (value: string) => boolean,
): string | undefined | null {
  if (args.length === 0) return undefined;
  if (args.length !== 2 || args[0] !== name) return null;
  const value = args[1] ?? '';
  return valid(value) ? value : null;
}

async function holdsHash(
  records: Iterable<AuditRecord> | AsyncIterable<AuditRecord>,
  hash: string,
): Promise<boolean> {
  for await (const record of records) if (record.hash === hash) return true;
  return false;
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
