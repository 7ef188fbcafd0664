// Migration 10 (outreach due times) for both stores, side by side so the two schemas stay alike.
// The column is what the outreach sweep queries by index: when a request next needs a personal
// card, a reminder, an escalation or a page. No backfill: requests saved before it have no outreach.

export const OUTREACH_MIGRATION_NAME = 'index outreach due times';

export const SQLITE_OUTREACH_MIGRATION = `
  ALTER TABLE requests ADD COLUMN outreach_due_at TEXT;
  CREATE INDEX requests_outreach_due ON requests (outreach_due_at) WHERE outreach_due_at IS NOT NULL;
`;

export const PG_OUTREACH_MIGRATION = `
  ALTER TABLE requests ADD COLUMN outreach_due_at TIMESTAMPTZ;
  CREATE INDEX requests_outreach_due ON requests (outreach_due_at) WHERE outreach_due_at IS NOT NULL;
`;
