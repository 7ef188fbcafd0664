// A copy of every audit record outside the database, written as the record is appended: one JSON
// line per record for the SIEM. Someone who can write the database can delete or truncate the
// trail there; they cannot take back lines already shipped, and each line carries the record's
// sequence number and hash to compare with (`revoke audit verify --anchor <hash>`).
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AuditRecord } from '../core/audit-event';

/** What tells a sink's line apart from a log entry on the same stdout. */
export const AUDIT_STREAM = 'revoke.audit';

export interface AuditSink {
  /** Writes one record; a failure is reported to the caller, who logs it (the DB has the record). */
  write(record: AuditRecord): void;
  close(): void;
}

/** AUDIT_SINK: `stdout` (the default), `file:/path` or `off`. */
export type AuditSinkSetting =
  { kind: 'stdout' } | { kind: 'file'; path: string } | { kind: 'off' };

export function parseAuditSink(text: string | undefined): AuditSinkSetting | { problem: string } {
  const value = text?.trim() ?? '';
  if (value === '' || value.toLowerCase() === 'stdout') return { kind: 'stdout' };
  if (value.toLowerCase() === 'off') return { kind: 'off' };
  if (value.startsWith('file:') && value.length > 'file:'.length) {
    return { kind: 'file', path: value.slice('file:'.length) };
  }
  return {
    problem: `AUDIT_SINK must be stdout, off or file:/path/to/audit.jsonl (got "${value}").`,
  };
}

/** The line for one record: the record itself, tagged with the stream's name. */
export function sinkLine(record: AuditRecord): string {
  return JSON.stringify({ stream: AUDIT_STREAM, ...record });
}

export function openAuditSink(
  setting: AuditSinkSetting,
  stdout: (line: string) => void = (line) => {
    process.stdout.write(line);
  },
): AuditSink {
  switch (setting.kind) {
    case 'off':
      return { write: () => undefined, close: () => undefined };
    case 'stdout':
      return { write: (record) => stdout(`${sinkLine(record)}\n`), close: () => undefined };
    case 'file': {
      mkdirSync(dirname(setting.path), { recursive: true });
      // Appending, synchronously: lines land in chain order and survive the process's end.
      const fd = openSync(setting.path, 'a', 0o600);
      let open = true;
      return {
        write: (record) => {
          writeSync(fd, `${sinkLine(record)}\n`);
        },
        close: () => {
          if (open) closeSync(fd);
          open = false;
        },
      };
    }
  }
}
