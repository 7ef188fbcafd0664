// The hash chain behind the audit trail. Each record's hash is SHA-256 over a canonical JSON of
// the record (sorted keys, no whitespace) that includes the previous record's hash: change one
// byte of any record, or drop one, and every hash from there on stops matching.
import { createHash } from 'node:crypto';
import type { AuditEvent, AuditRecord, AuditVerification } from '../core/audit-event';
import { isSecretKey, maskString, REDACTED } from '../log';

/** The link before the first record. */
export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every depth, so the same record always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function hashRecord(record: Omit<AuditRecord, 'hash'>): string {
  const { seq, at, type, requestId, actorId, details, prevHash } = record;
  return createHash('sha256')
    .update(canonicalJson({ seq, at, type, requestId, actorId, details, prevHash }))
    .digest('hex');
}

/**
 * Builds the next record of the chain. Details pass through the log redactor first: a key that
 * names a secret, or a value that looks like a token, never reaches the permanent record.
 */
export function nextRecord(event: AuditEvent, previous: { seq: number; hash: string } | undefined) {
  const details: AuditEvent['details'] = {};
  for (const [key, value] of Object.entries(event.details)) {
    if (isSecretKey(key)) details[key] = REDACTED;
    else if (typeof value === 'string') details[key] = maskString(value);
    else if (Array.isArray(value)) details[key] = value.map(maskString);
    else details[key] = value;
  }
  const base: Omit<AuditRecord, 'hash'> = {
    seq: (previous?.seq ?? 0) + 1,
    at: event.at,
    type: event.type,
    requestId: event.requestId,
    actorId: event.actorId,
    details,
    prevHash: previous?.hash ?? GENESIS_HASH,
  };
  return { ...base, hash: hashRecord(base) };
}

/** Checks records in chain order; stops at the first one that does not match. */
export function verifyChain(records: Iterable<AuditRecord>): AuditVerification {
  let previous: { seq: number; hash: string } | undefined;
  let count = 0;
  for (const record of records) {
    const expectedSeq = (previous?.seq ?? 0) + 1;
    const expectedPrev = previous?.hash ?? GENESIS_HASH;
    const fail = (reason: string): AuditVerification => ({
      ok: false,
      records: count,
      brokenAt: record.seq,
      reason,
    });
    if (record.seq !== expectedSeq)
      return fail(`expected record ${expectedSeq} next, found ${record.seq} (a record is missing)`);
    if (record.prevHash !== expectedPrev)
      return fail('its link to the previous record does not match that record');
    if (hashRecord(record) !== record.hash)
      return fail('its content does not match its hash (the record was altered)');
    previous = record;
    count++;
  }
  return { ok: true, records: count, lastHash: previous?.hash ?? GENESIS_HASH };
}
