export { openStore, parseDatabaseUrl } from './open-store';
export type { StoreLocation } from './open-store';
export { SqliteRequestStore } from './sqlite/sqlite-request-store';
export type { SqliteStoreOptions } from './sqlite/sqlite-request-store';
export { DuplicateRequestError, UnsupportedDatabaseUrlError } from './store-errors';
export { openAuditLog } from './open-audit-log';
export { SqliteAuditLog } from './sqlite/sqlite-audit-log';
