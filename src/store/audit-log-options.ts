// What the audit trail's adapters need besides their database: the key the chain is signed
// with, and where each record goes once it is committed (the external sink).
import type { AuditKeyring } from '../audit/audit-key';
import type { AuditRecord } from '../core/audit-event';

export interface AuditLogOptions {
  /** Absent: the trail can be read and exported, but neither appended to nor verified. */
  keyring?: AuditKeyring;
  /** Called with each record after its transaction committed, in chain order. Must not throw. */
  onAppended?: (record: AuditRecord) => void;
}

export interface AuditWriting {
  keyring: AuditKeyring;
}

/** Raised when the trail is written or verified without AUDIT_KEY. */
export class AuditKeyMissing extends Error {
  constructor() {
    super(
      'AUDIT_KEY is not set: the audit trail is signed with it, so writing or verifying it needs the same key the bot uses (AUDIT_KEY_PREVIOUS for retired ones).',
    );
    this.name = 'AuditKeyMissing';
  }
}

export function auditKeyringFor(options: AuditLogOptions): AuditKeyring {
  if (!options.keyring) throw new AuditKeyMissing();
  return options.keyring;
}
