import type { AuditEvent, AuditRecord, AuditVerification } from '../../src/core/audit-event';
import type { AuditLog } from '../../src/core/ports';
import { nextRecord, verifyChain } from '../../src/audit/chain';

/** The audit chain in memory, built by the same functions as the SQLite one. */
export class MemoryAuditLog implements AuditLog {
  readonly records: AuditRecord[] = [];

  async append(event: AuditEvent): Promise<void> {
    this.records.push(nextRecord(event, this.records.at(-1)));
  }

  async verify(): Promise<AuditVerification> {
    return verifyChain(this.records);
  }

  ofType(type: AuditEvent['type']): AuditRecord[] {
    return this.records.filter((r) => r.type === type);
  }
}
