import { createHash } from 'node:crypto';
import type { AuditEvent, AuditRecord, AuditVerification } from '../../src/core/audit-event';
import type { AuditLog } from '../../src/core/ports';
import { AuditKey, AuditKeyring } from '../../src/audit/audit-key';
import { recordsToAppend, verifyChain } from '../../src/audit/chain';
import { StoreUnavailableError } from '../../src/store';

/** A fixed, random-looking test key (never a real one): the SHA-256 of a label. */
export function testAuditKey(label = 'test'): AuditKey {
  return new AuditKey(testAuditKeyBytes(label));
}

/** The same key as AUDIT_KEY would carry it (base64). */
export function testAuditKeyText(label = 'test'): string {
  return testAuditKeyBytes(label).toString('base64');
}

function testAuditKeyBytes(label: string): Buffer {
  return createHash('sha256').update(`revoke test audit key ${label}`).digest();
}

export function testKeyring(label = 'test'): AuditKeyring {
  return new AuditKeyring(testAuditKey(label));
}

/**
 * The audit chain in memory, built by the same functions as the SQLite one. Like the database it
 * stands in for, it can stop answering: `failAppends()` until `recover()`.
 */
export class MemoryAuditLog implements AuditLog {
  readonly records: AuditRecord[] = [];
  private failing: ((event: AuditEvent) => boolean) | undefined;

  constructor(readonly keyring: AuditKeyring = testKeyring()) {}

  async append(event: AuditEvent): Promise<void> {
    if (this.failing?.(event)) {
      throw new StoreUnavailableError('audit append failed: the database is not answering');
    }
    this.records.push(...recordsToAppend(event, this.records.at(-1), this.keyring));
  }

  async verify(): Promise<AuditVerification> {
    return verifyChain(this.records, this.keyring);
  }

  /**
   * Appends fail as the SQLite or PostgreSQL store does when it does not answer: all of them, or
   * those `which` picks (a test that lets an approval through and then loses the store).
   */
  failAppends(which: (event: AuditEvent) => boolean = () => true): void {
    this.failing = which;
  }

  recover(): void {
    this.failing = undefined;
  }

  ofType(type: AuditEvent['type']): AuditRecord[] {
    return this.records.filter((r) => r.type === type);
  }
}
