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
