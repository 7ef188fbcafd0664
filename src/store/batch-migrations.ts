// Migration 4 (batches) for both stores, kept beside each other so the two schemas stay alike.
// The index on the requests' `batchId` lets a batch find its children without a full scan.

export const BATCH_MIGRATION_NAME = 'create batches';

export const SQLITE_BATCH_MIGRATION = `
  CREATE TABLE batches (
    id          TEXT    NOT NULL PRIMARY KEY,
    version     INTEGER NOT NULL CHECK (version >= 1),
    status      TEXT    NOT NULL,
    created_at  TEXT    NOT NULL,
    expires_at  TEXT    NOT NULL,
    document    TEXT    NOT NULL CHECK (json_valid(document))
  ) STRICT;
  CREATE INDEX batches_status ON batches (status, created_at);
  CREATE INDEX requests_batch ON requests (json_extract(document, '$.batchId'), created_at);
`;

export const PG_BATCH_MIGRATION = `
  CREATE TABLE batches (
    id          TEXT        NOT NULL PRIMARY KEY,
    version     INTEGER     NOT NULL CHECK (version >= 1),
    status      TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    document    JSONB       NOT NULL
  );
  CREATE INDEX batches_status ON batches (status, created_at);
  CREATE INDEX requests_batch ON requests ((document->>'batchId'), created_at);
`;
