// AUDIT_KEY, AUDIT_KEY_PREVIOUS and AUDIT_SINK, read and checked once at start with the rest of
// the configuration. The key is required with a real tenant; the sandbox falls back to a key file
// of its own (see sandbox-key.ts).
import { AuditKeyring, parseAuditKey, type AuditKey } from './audit-key';
import { parseAuditSink, type AuditSinkSetting } from './audit-sink';

export interface AuditConfig {
  /** From AUDIT_KEY and AUDIT_KEY_PREVIOUS; absent only in sandbox mode. */
  keyring?: AuditKeyring;
  sink: AuditSinkSetting;
}

/** The part of the configuration reader this needs. */
export interface AuditEnv {
  optional(name: string): string | undefined;
  list(name: string): string[];
  problem(message: string): void;
}

export function readAuditConfig(read: AuditEnv, realTenant: boolean): AuditConfig {
  const sink = parseAuditSink(read.optional('AUDIT_SINK'));
  if ('problem' in sink) read.problem(sink.problem);
  const text = read.optional('AUDIT_KEY');
  const previous = read
    .list('AUDIT_KEY_PREVIOUS')
    .map((value, index) => keyOrProblem(read, `AUDIT_KEY_PREVIOUS (entry ${index + 1})`, value));
  const sinkSetting: AuditSinkSetting = 'problem' in sink ? { kind: 'stdout' } : sink;
  if (text === undefined) {
    if (realTenant) {
      read.problem(
        'AUDIT_KEY is required with a real tenant: the audit trail is signed with it so that someone who can write the database cannot rewrite it. Create one with `openssl rand -base64 32` and keep it in Key Vault, not in the database.',
      );
    }
    if (previous.length > 0) read.problem('AUDIT_KEY_PREVIOUS is set without AUDIT_KEY.');
    return { sink: sinkSetting };
  }
  const current = keyOrProblem(read, 'AUDIT_KEY', text);
  if (!current) return { sink: sinkSetting };
  const retired = previous.filter((key): key is AuditKey => key !== undefined);
  if (retired.some((key) => key.id === current.id)) {
    read.problem('AUDIT_KEY_PREVIOUS must not repeat AUDIT_KEY: it lists the retired keys only.');
  }
  return { keyring: new AuditKeyring(current, retired), sink: sinkSetting };
}

function keyOrProblem(read: AuditEnv, name: string, text: string): AuditKey | undefined {
  const parsed = parseAuditKey(name, text);
  if ('problem' in parsed) {
    read.problem(parsed.problem);
    return undefined;
  }
  return parsed;
}
