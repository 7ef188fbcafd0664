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
