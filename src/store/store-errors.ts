/** `create` was given an id that is already stored. */
export class DuplicateRequestError extends Error {
  constructor(readonly requestId: string) {
    super(`A request with id ${requestId} already exists`);
    this.name = 'DuplicateRequestError';
  }
}

/** DATABASE_URL names something this build cannot open. The message is safe to print. */
export class UnsupportedDatabaseUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedDatabaseUrlError';
  }
}

/** The database was migrated by a newer build; reading it with this one could misread it. */
export class SchemaTooNewError extends Error {
  constructor(
    readonly current: number,
    readonly latestKnown: number,
  ) {
    super(
      `The database schema is at version ${current} but this build only knows up to ` +
        `${latestKnown}: upgrade Revoke instead of downgrading it.`,
    );
    this.name = 'SchemaTooNewError';
  }
}

/** The database could not be reached or answered with an error. The message holds no password. */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

/**
 * The database belongs to another tenant (or to the sandbox): a store written in one mode is never
 * opened in the other, so sandbox requests never meet a real directory and the reverse.
 */
export class StoreTenantMismatchError extends Error {
  constructor(
    readonly recorded: string,
    readonly configured: string,
  ) {
    super(
      `This database belongs to ${tenantName(recorded)} (recorded at its first start), but Revoke is configured for ${tenantName(configured)}: a database is never opened for another tenant or mode. Point DATABASE_URL at the database of ${tenantName(configured)}, or at a new one.`,
    );
    this.name = 'StoreTenantMismatchError';
  }
}

function tenantName(tenant: string): string {
  return tenant === 'sandbox' ? 'the sandbox' : `tenant ${tenant}`;
}

/** Another process holds the SQLite database: only one process may use a SQLite file. */
export class DatabaseInUseError extends Error {
  constructor(
    readonly databaseFile: string,
    readonly lockFile: string,
    options?: { cause?: unknown },
  ) {
    super(
      `Another Revoke process is using the SQLite database ${databaseFile} (it holds ${lockFile}): only one process may use a SQLite file. Stop the other process, or use PostgreSQL (DATABASE_URL=postgres://…) to run several instances.`,
      options,
    );
    this.name = 'DatabaseInUseError';
  }
}
