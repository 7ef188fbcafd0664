// Migration 8 (Shared Signals streams) for both stores, kept side by side so the two schemas stay
// alike. A stream is one document; no column holds a secret (push tokens are configured, not kept).

export const SSF_MIGRATION_NAME = 'create ssf_streams';

export const SQLITE_SSF_MIGRATION = `
  CREATE TABLE ssf_streams (
    id          TEXT NOT NULL PRIMARY KEY,
    client      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    document    TEXT NOT NULL CHECK (json_valid(document))
  ) STRICT;
`;

export const PG_SSF_MIGRATION = `
  CREATE TABLE ssf_streams (
    id          TEXT        NOT NULL PRIMARY KEY,
    client      TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    document    JSONB       NOT NULL
  );
`;
