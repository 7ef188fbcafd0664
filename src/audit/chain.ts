// The chain behind the audit trail. Each record's hash is an HMAC-SHA-256, under a key that is not
// in the database (AUDIT_KEY), over a canonical JSON of the record (sorted keys, no whitespace)
// that includes the previous record's hash and the key's id: change one byte of any record, or
// drop one, and every hash from there on stops matching, and only the key's holder could make
// them match again.
//
// Records written before the chain had a key carry no key id and a plain SHA-256. They are
// accepted only as the chain's beginning: the first keyed record (an `audit.keyed` marker,
// written by the first keyed append) links to the last of them, which freezes that prefix, and
// an unkeyed record after a keyed one is a forgery. Verification reports how many there are.
import type { AuditEvent, AuditRecord, AuditVerification } from '../core/audit-event';
import { isSecretKey, maskString, REDACTED } from '../log';
import { sameDigest, sha256Hex, type AuditKey, type AuditKeyring } from './audit-key';

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

/**
 * The record's hash: HMAC-SHA-256 under `key` when the record names a key id (which must be that
 * key's), plain SHA-256 for a record from before the chain was keyed.
 */
export function hashRecord(record: Omit<AuditRecord, 'hash'>, key?: AuditKey): string {
  const { seq, at, type, requestId, actorId, details, prevHash, keyId } = record;
  const content = { seq, at, type, requestId, actorId, details, prevHash };
  if (keyId === undefined) return sha256Hex(canonicalJson(content));
  if (key === undefined || key.id !== keyId) {
    throw new Error(`record ${seq} needs audit key ${keyId} to be hashed`);
  }
  return key.mac(canonicalJson({ ...content, keyId }));
}

/** Where a new record links in: the newest record, if any. */
export type ChainTip = Pick<AuditRecord, 'seq' | 'hash' | 'keyId'>;

/** An instance whose AUDIT_KEY is older than the one the trail is already written with. */
export class AuditKeyMismatch extends Error {
  constructor(keyId: string) {
    super(
      `the audit trail's newest record is signed with key ${keyId}, which this instance does not know: it runs with an outdated AUDIT_KEY (a newer one belongs in AUDIT_KEY, the old one in AUDIT_KEY_PREVIOUS)`,
    );
    this.name = 'AuditKeyMismatch';
  }
}

/**
 * The records one append writes: the event's, preceded once, on a trail that still ends with an
 * unkeyed record, by the `audit.keyed` marker that closes the unkeyed prefix. Refuses to continue
 * a trail whose newest record uses a key `keyring` does not know, so an instance left behind by a
 * key rotation cannot write records that would look forged.
 */
export function recordsToAppend(
  event: AuditEvent,
  previous: ChainTip | undefined,
  keyring: AuditKeyring,
): AuditRecord[] {
  if (previous?.keyId !== undefined && keyring.byId(previous.keyId) === undefined) {
    throw new AuditKeyMismatch(previous.keyId);
  }
  const key = keyring.current;
  if (previous !== undefined && previous.keyId === undefined) {
    const marker = link(
      {
        type: 'audit.keyed',
        at: event.at,
        details: { unkeyedRecords: previous.seq, keyId: key.id },
      },
      previous,
      key,
    );
    return [marker, link(scrub(event), marker, key)];
  }
  return [link(scrub(event), previous, key)];
}

/**
 * Details pass through the log redactor first: a key that names a secret, or a value that looks
 * like a token, never reaches the permanent record.
 */
function scrub(event: AuditEvent): AuditEvent {
  const details: AuditEvent['details'] = {};
  for (const [key, value] of Object.entries(event.details)) {
    if (isSecretKey(key)) details[key] = REDACTED;
    else if (typeof value === 'string') details[key] = maskString(value);
    else if (Array.isArray(value)) details[key] = value.map(maskString);
    else details[key] = value;
  }
  return { ...event, details };
}

function link(event: AuditEvent, previous: ChainTip | undefined, key: AuditKey): AuditRecord {
  const base: Omit<AuditRecord, 'hash'> = {
    seq: (previous?.seq ?? 0) + 1,
    at: event.at,
    type: event.type,
    requestId: event.requestId,
    actorId: event.actorId,
    details: event.details,
    prevHash: previous?.hash ?? GENESIS_HASH,
    keyId: key.id,
  };
  return { ...base, hash: hashRecord(base, key) };
}

/**
 * Checks records in chain order; stops at the first one that does not match. Keys may only move
 * forward: once a record is signed with a newer key, a record signed with an older one is refused,
 * so a retired (perhaps leaked) key cannot append to the trail.
 */
export function verifyChain(
  records: Iterable<AuditRecord>,
  keyring: AuditKeyring,
): AuditVerification {
  let previous: AuditRecord | undefined;
  let count = 0;
  let unkeyed = 0;
  const retired = new Set<string>();
  for (const record of records) {
    const fail = (reason: string): AuditVerification => ({
      ok: false,
      records: count,
      brokenAt: record.seq,
      reason,
    });
    const expectedSeq = (previous?.seq ?? 0) + 1;
    if (record.seq !== expectedSeq)
      return fail(`expected record ${expectedSeq} next, found ${record.seq} (a record is missing)`);
    if (record.prevHash !== (previous?.hash ?? GENESIS_HASH))
      return fail('its link to the previous record does not match that record');
    if (record.keyId === undefined) {
      if (previous?.keyId !== undefined)
        return fail('it has no key after keyed records (written by someone without the audit key)');
      if (!sameDigest(hashRecord(record), record.hash))
        return fail('its content does not match its hash (the record was altered)');
      unkeyed++;
    } else {
      const key = keyring.byId(record.keyId);
      if (key === undefined)
        return fail(
          `it is signed with key ${record.keyId}, which is neither AUDIT_KEY nor in AUDIT_KEY_PREVIOUS (forged, or verified with the wrong key)`,
        );
      if (retired.has(record.keyId))
        return fail(`it is signed with key ${record.keyId} after a newer key had replaced it`);
      if (previous?.keyId !== undefined && previous.keyId !== record.keyId)
        retired.add(previous.keyId);
      if (!sameDigest(hashRecord(record, key), record.hash))
        return fail(
          'its content does not match its hash (the record was altered, or the hash recomputed without the audit key)',
        );
    }
    previous = record;
    count++;
  }
  const result: AuditVerification = {
    ok: true,
    records: count,
    lastHash: previous?.hash ?? GENESIS_HASH,
  };
  return unkeyed > 0 ? { ...result, unkeyed } : result;
}
