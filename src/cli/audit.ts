// `revoke audit verify [--anchor <hash>]` checks the audit trail's hash chain and names the first
// broken record; `revoke audit export [--since <ISO time>]` prints the records as JSON lines.
// (`npm run audit -- …` runs the same code.) Reads DATABASE_URL like the bot does, so it
// inspects the same database.
//
// Verifying needs the key the bot signs with: AUDIT_KEY (and AUDIT_KEY_PREVIOUS for records
// signed before a rotation); in the sandbox, without AUDIT_KEY, the key file next to the database.
// Export needs no key. The key is never printed.
//
// The chain alone cannot tell a trail cut short from one that simply ended: the newest records
// can be deleted without breaking any link. An anchor (a hash printed by an earlier verify, or
// the last line of the AUDIT_SINK copy in the SIEM) closes that gap: verify then also requires
// that record to exist.
import { existsSync } from 'node:fs';
import { readAuditConfig } from '../audit/audit-config';
import { readKeyFile, sandboxKeyPath } from '../audit/sandbox-key';
import { AuditKeyring } from '../audit/audit-key';
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
  const databaseUrl = env['DATABASE_URL'] ?? 'sqlite:./data/revoke.db';
  let keyring: AuditKeyring | undefined;
  if (command === 'verify') {
    const found = keyringFor(env, databaseUrl);
    if ('problem' in found) {
      out(`audit verify: ${found.problem}`);
      return 2;
    }
    keyring = found.keyring;
  }
  const log = await openAuditLog(databaseUrl, { keyring });
  try {
    if (command === 'verify') {
      const anchor = readOption(rest, '--anchor', (value) => /^[0-9a-f]{64}$/.test(value));
      if (anchor === null) {
        out(AUDIT_USAGE);
        return 2;
      }
      const result = await log.verify();
      if (result.ok && result.records > 0 && result.unkeyed === result.records) {
        out(
          `audit trail NOT KEYED: all ${result.records} record(s) are plain SHA-256, which anyone who can write the database can recompute. Start Revoke once with AUDIT_KEY to seal them behind a keyed record.`,
        );
        return 1;
      }
      if (result.ok && anchor !== undefined && !(await holdsHash(log.records(), anchor))) {
        out(
          `audit trail TRUNCATED: no record has the anchor hash ${anchor} (${result.records} record(s) verified)`,
        );
        return 1;
      }
      if (result.ok) {
        out(`audit trail intact: ${result.records} record(s), last hash ${result.lastHash}`);
        if (result.unkeyed !== undefined) {
          out(
            `note: records 1-${result.unkeyed} predate the audit key (plain SHA-256): they show accidental edits only, not a rewrite by someone with database access before record ${result.unkeyed + 1} sealed them.`,
          );
        }
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

/**
 * The keys to verify with: AUDIT_KEY and AUDIT_KEY_PREVIOUS, else the sandbox's key file when it
 * exists. Problems name the variable, never its value.
 */
function keyringFor(
  env: NodeJS.ProcessEnv,
  databaseUrl: string,
): { keyring: AuditKeyring } | { problem: string } {
  const problems: string[] = [];
  const config = readAuditConfig(
    {
      optional: (name) => env[name]?.trim() || undefined,
      list: (name) =>
        (env[name] ?? '')
          .split(',')
          .map((entry) => entry.trim())
          .filter((entry) => entry.length > 0),
      problem: (message) => problems.push(message),
    },
    false,
  );
  if (problems.length > 0) return { problem: problems.join(' ') };
  if (config.keyring) return { keyring: config.keyring };
  const path = sandboxKeyPath(databaseUrl);
  const key = path !== undefined && existsSync(path) ? readKeyFile(path) : undefined;
  if (key) return { keyring: new AuditKeyring(key) };
  return {
    problem:
      'set AUDIT_KEY to the key the bot signs the trail with (and AUDIT_KEY_PREVIOUS to retired ones): without it no record can be checked.',
  };
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
