// Migration 8 (step-up MFA) for both stores, side by side so the two schemas stay alike.
// `step_up_tokens` spends each token id once: its primary key makes the first of two instances
// presenting the same token win. `step_up_challenges` remembers when each person was asked to sign
// in for each request, so the sign-in must come after it, whichever instance the retry reaches.

export const STEP_UP_MIGRATION_NAME = 'step-up MFA ledger';

export const SQLITE_STEP_UP_MIGRATION = `
  CREATE TABLE step_up_tokens (
    token_id    TEXT    NOT NULL PRIMARY KEY,
    person_id   TEXT    NOT NULL,
    used_at     TEXT    NOT NULL,
    expires_at  TEXT    NOT NULL
  ) STRICT;
  CREATE INDEX step_up_tokens_expiry ON step_up_tokens (expires_at);
  CREATE TABLE step_up_challenges (
    subject_id  TEXT    NOT NULL,
    person_id   TEXT    NOT NULL,
    issued_at   TEXT    NOT NULL,
    PRIMARY KEY (subject_id, person_id)
  ) STRICT;
`;

export const PG_STEP_UP_MIGRATION = `
  CREATE TABLE step_up_tokens (
    token_id    TEXT        NOT NULL PRIMARY KEY,
    person_id   TEXT        NOT NULL,
    used_at     TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL
  );
  CREATE INDEX step_up_tokens_expiry ON step_up_tokens (expires_at);
  CREATE TABLE step_up_challenges (
    subject_id  TEXT        NOT NULL,
    person_id   TEXT        NOT NULL,
    issued_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (subject_id, person_id)
  );
`;

/**
 * A spent token's row is kept a day past its expiry: by then the token fails validation on `exp`
 * alone, so forgetting it cannot let it be replayed.
 */
export const SPENT_TOKEN_RETENTION_MS = 24 * 60 * 60 * 1000;
