// How an audit record is laid out in a table, shared by the SQLite and PostgreSQL stores.
import type { AuditRecord } from '../core/audit-event';

export interface AuditRow {
  /** PostgreSQL returns BIGINT as a string. */
  seq: number | string;
  at: string;
  type: string;
  request_id: string | null;
  actor_id: string | null;
  details: string;
  prev_hash: string;
  /** NULL on records written before the chain was keyed (and on databases not yet migrated). */
  key_id?: string | null;
  hash: string;
}

export function auditRecordFromRow(row: AuditRow): AuditRecord {
  const record: AuditRecord = {
    seq: Number(row.seq),
    at: row.at,
    type: row.type as AuditRecord['type'],
    details: parseDetails(row.details),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
  if (row.request_id !== null) record.requestId = row.request_id;
  if (row.actor_id !== null) record.actorId = row.actor_id;
  if (row.key_id !== undefined && row.key_id !== null) record.keyId = row.key_id;
  return record;
}

function parseDetails(text: string): AuditRecord['details'] {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as AuditRecord['details'])
      : {};
  } catch {
    // Unparseable details cannot match their hash; verification reports the row.
    return {};
  }
}
