// Migration 11 (the Graph write budget shared by several instances) for both stores, kept side by
// side so the two schemas stay alike. Only PostgreSQL uses it: SQLite is one process, whose
// in-memory RateGate already sees every write; its table is created so a version number means the
// same shape on either store.
//
// A sliding window, as Graph counts ("at most 3,000 writes in any 150 s"): each grant is a row
// (when, how many); what left the window is deleted by the next take. The take is one statement
// (a function) that locks the budget's row, so two instances can never both spend the last
// tokens; time is the database's clock_timestamp(), read after the lock, never an instance's
// clock (instances' clocks may be skewed, and now() is the transaction's start, which for a
// caller that waited on the lock is earlier than the take it waited for).

export const RATE_BUDGET_MIGRATION_NAME = 'create rate_budgets';

export const SQLITE_RATE_BUDGET_MIGRATION = `
  CREATE TABLE rate_budgets (
    name        TEXT NOT NULL PRIMARY KEY
  ) STRICT;
  CREATE TABLE rate_budget_takes (
    name        TEXT    NOT NULL REFERENCES rate_budgets (name),
    taken_at    TEXT    NOT NULL,
    amount      INTEGER NOT NULL CHECK (amount > 0)
  ) STRICT;
  CREATE INDEX rate_budget_takes_by_time ON rate_budget_takes (name, taken_at);
`;

export const PG_RATE_BUDGET_MIGRATION = `
  CREATE TABLE rate_budgets (
    name        TEXT        NOT NULL PRIMARY KEY
  );
  CREATE TABLE rate_budget_takes (
    name        TEXT        NOT NULL REFERENCES rate_budgets (name),
    taken_at    TIMESTAMPTZ NOT NULL,
    amount      INTEGER     NOT NULL CHECK (amount > 0)
  );
  CREATE INDEX rate_budget_takes_by_time ON rate_budget_takes (name, taken_at);

  -- Takes up to p_wanted of p_budget per p_window_ms: granted may be fewer (0 when the window is
  -- full); wait_ms is then how long until the oldest grant leaves the window.
  CREATE FUNCTION rate_budget_take(
    p_name TEXT, p_budget INTEGER, p_window_ms INTEGER, p_wanted INTEGER,
    OUT granted INTEGER, OUT wait_ms INTEGER
  ) LANGUAGE plpgsql AS $fn$
  DECLARE
    t       TIMESTAMPTZ;
    horizon TIMESTAMPTZ;
    used    BIGINT;
    oldest  TIMESTAMPTZ;
  BEGIN
    INSERT INTO rate_budgets (name) VALUES (p_name) ON CONFLICT (name) DO NOTHING;
    PERFORM 1 FROM rate_budgets WHERE name = p_name FOR UPDATE;
    t := clock_timestamp();
    horizon := t - make_interval(secs => p_window_ms / 1000.0);
    DELETE FROM rate_budget_takes WHERE name = p_name AND taken_at <= horizon;
    SELECT coalesce(sum(amount), 0) INTO used FROM rate_budget_takes WHERE name = p_name;
    granted := LEAST(p_wanted, GREATEST(0, p_budget - used))::INTEGER;
    wait_ms := 0;
    IF granted > 0 THEN
      INSERT INTO rate_budget_takes (name, taken_at, amount) VALUES (p_name, t, granted);
    ELSE
      SELECT min(taken_at) INTO oldest FROM rate_budget_takes WHERE name = p_name;
      wait_ms := GREATEST(1, ceil(EXTRACT(EPOCH FROM (oldest - horizon)) * 1000))::INTEGER;
    END IF;
  END
  $fn$;
`;

// Migration 12: whole takes. A take used to grant part of what a caller needed when the window
// had less left: that part was counted from then on, but the caller (a $batch of up to 20 writes)
// went out only once the rest came, which at the end of a burst is most of a window later. The
// budget let those writes leave its window long before Graph's did, and Graph answered 429 with a
// window's Retry-After. Now each caller's need is granted whole or not at all, in arrival order.

export const WHOLE_TAKES_MIGRATION_NAME = 'whole takes of a rate budget';

// SQLite keeps no shared budget (see above): nothing to change, the number is kept alike.
export const SQLITE_WHOLE_TAKES_MIGRATION = `SELECT 1;`;

export const PG_WHOLE_TAKES_MIGRATION = `
  -- Grants the longest run of p_needs, in order, that fits in what is left of p_budget per
  -- p_window_ms, each need whole (a need above the budget counts as the budget); granted is their
  -- sum. When none fits, wait_ms is how long until enough has left the window for the first.
  CREATE FUNCTION rate_budget_take_whole(
    p_name TEXT, p_budget INTEGER, p_window_ms INTEGER, p_needs INTEGER[],
    OUT granted INTEGER, OUT wait_ms INTEGER
  ) LANGUAGE plpgsql AS $fn$
  DECLARE
    t       TIMESTAMPTZ;
    horizon TIMESTAMPTZ;
    room    BIGINT;
    need    INTEGER;
    freed   BIGINT;
    grant_row RECORD;
  BEGIN
    INSERT INTO rate_budgets (name) VALUES (p_name) ON CONFLICT (name) DO NOTHING;
    PERFORM 1 FROM rate_budgets WHERE name = p_name FOR UPDATE;
    t := clock_timestamp();
    horizon := t - make_interval(secs => p_window_ms / 1000.0);
    DELETE FROM rate_budget_takes WHERE name = p_name AND taken_at <= horizon;
    SELECT p_budget - coalesce(sum(amount), 0) INTO room FROM rate_budget_takes WHERE name = p_name;
    granted := 0;
    wait_ms := 0;
    FOREACH need IN ARRAY coalesce(p_needs, ARRAY[]::INTEGER[]) LOOP
      need := LEAST(GREATEST(need, 1), p_budget);
      EXIT WHEN granted + need > room;
      granted := granted + need;
    END LOOP;
    IF granted > 0 THEN
      INSERT INTO rate_budget_takes (name, taken_at, amount) VALUES (p_name, t, granted);
    ELSIF coalesce(array_length(p_needs, 1), 0) > 0 THEN
      need := LEAST(GREATEST(p_needs[1], 1), p_budget);
      freed := GREATEST(room, 0);
      wait_ms := 1;
      FOR grant_row IN
        SELECT taken_at, amount FROM rate_budget_takes WHERE name = p_name ORDER BY taken_at
      LOOP
        freed := freed + grant_row.amount;
        IF freed >= need THEN
          wait_ms := GREATEST(1, ceil(EXTRACT(EPOCH FROM (grant_row.taken_at - horizon)) * 1000))::INTEGER;
          EXIT;
        END IF;
      END LOOP;
    END IF;
  END
  $fn$;
`;
