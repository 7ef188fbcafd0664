export { openStore, parseDatabaseUrl } from './open-store';
export type { LeasingStore, OpenStoreOptions, StoreLocation } from './open-store';
export { SqliteRequestStore } from './sqlite/sqlite-request-store';
export type { SqliteStoreOptions } from './sqlite/sqlite-request-store';
export { PostgresRequestStore } from './postgres/postgres-request-store';
export { PostgresAuditLog } from './postgres/postgres-audit-log';
export {
  DatabaseInUseError,
  DuplicateRequestError,
  SchemaTooNewError,
  StoreTenantMismatchError,
  StoreUnavailableError,
  UnsupportedDatabaseUrlError,
} from './store-errors';
export { openAuditLog } from './open-audit-log';
export { AuditKeyMissing, type AuditLogOptions } from './audit-log-options';
export type { StoredAuditLog } from './open-audit-log';
export { SqliteAuditLog } from './sqlite/sqlite-audit-log';
