// The keyed audit chain against someone who can write the database but does not hold AUDIT_KEY:
// they edit a record and recompute every later hash, and `revoke audit verify` must still fail.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { AuditKeyring } from '../../src/audit/audit-key';
import { AuditKeyMismatch, hashRecord } from '../../src/audit/chain';
import { runAuditCli } from '../../src/cli/audit';
import type { AuditEvent, AuditRecord } from '../../src/core/audit-event';
import { sha256Hex } from '../../src/audit/audit-key';
import { canonicalJson, GENESIS_HASH } from '../../src/audit/chain';
import { SqliteAuditLog } from '../../src/store';
import { testAuditKey, testAuditKeyText, testKeyring } from '../support/memory-audit-log';

function event(n: number): AuditEvent {
  return {
    type: 'approval.recorded',
    at: new Date(Date.UTC(2025, 2, 1, 9, n)).toISOString(),
    requestId: 'R-20250301-ABCD',
    actorId: `actor-${n}`,
    details: { as: 'approver', approvals: n, requiredApprovals: 2 },
  };
}

interface Row {
  seq: number;
  at: string;
  type: string;
  request_id: string | null;
  actor_id: string | null;
  details: string;
  prev_hash: string;
  key_id: string | null;
  hash: string;
}

function recordOf(row: Row): AuditRecord {
  return {
    seq: row.seq,
    at: row.at,
    type: row.type as AuditRecord['type'],
    ...(row.request_id === null ? {} : { requestId: row.request_id }),
    ...(row.actor_id === null ? {} : { actorId: row.actor_id }),
    details: JSON.parse(row.details) as AuditRecord['details'],
    prevHash: row.prev_hash,
    ...(row.key_id === null ? {} : { keyId: row.key_id }),
    hash: row.hash,
  };
}

/** Plain SHA-256 over the record, as the unkeyed chain (or a forger without the key) computes it. */
function plainHash(record: Omit<AuditRecord, 'hash'>): string {
  const { seq, at, type, requestId, actorId, details, prevHash, keyId } = record;
  return sha256Hex(canonicalJson({ seq, at, type, requestId, actorId, details, prevHash, keyId }));
}

describe('keyed audit chain (AUDIT_KEY)', () => {
  let dir: string;
  let file: string;
  const keyring = testKeyring();

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'revoke-keyed-'));
    file = join(dir, 'revoke.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function seed(count: number, ring = keyring): Promise<void> {
    const log = new SqliteAuditLog(file, { keyring: ring });
    for (let n = 1; n <= count; n++) await log.append(event(n));
    await log.close();
  }

  async function verify(
    env: Record<string, string> = { AUDIT_KEY: testAuditKeyText() },
    ...args: string[]
  ): Promise<{ code: number; out: string[] }> {
    const out: string[] = [];
    const code = await runAuditCli(
      ['verify', ...args],
      { DATABASE_URL: `sqlite:${file}`, ...env },
      (line) => out.push(line),
    );
    return { code, out };
  }

  /**
   * What a forger with write access does: change record `from`'s actor, then rewrite it and every
   * later record with hashes from `rehash`, each linked to the rewritten one before it.
   */
  function forge(
    from: number,
    rehash: (record: Omit<AuditRecord, 'hash'>) => string,
    keyId?: string | null,
  ): void {
    const db = new Database(file);
    db.exec('DROP TRIGGER audit_events_no_update');
    const rows = db.prepare('SELECT * FROM audit_events ORDER BY seq').all() as Row[];
    const update = db.prepare(
      'UPDATE audit_events SET actor_id = ?, prev_hash = ?, key_id = ?, hash = ? WHERE seq = ?',
    );
    let prevHash = rows[from - 2]?.hash ?? GENESIS_HASH;
    db.transaction(() => {
      for (const row of rows.slice(from - 1)) {
        const original = recordOf(row);
        const { hash: _old, keyId: oldKeyId, ...rest } = original;
        const newKeyId = keyId === undefined ? oldKeyId : (keyId ?? undefined);
        const base = {
          ...rest,
          ...(newKeyId === undefined ? {} : { keyId: newKeyId }),
          actorId: row.seq === from ? 'mallory' : original.actorId,
          prevHash,
        };
        const hash = rehash(base);
        update.run(base.actorId ?? null, prevHash, newKeyId ?? null, hash, row.seq);
        prevHash = hash;
      }
    })();
    db.close();
  }

  it('an edit with every later hash recomputed with plain SHA-256 fails at the edited record', async () => {
    await seed(5);
    assert.equal((await verify()).code, 0);
    forge(3, plainHash);
    const { code, out } = await verify();
    assert.equal(code, 1);
    assert.match(out[0] ?? '', /BROKEN at record 3: its content does not match its hash/);
  });

  it('an edit with every later hash recomputed under a wrong key fails at the edited record', async () => {
    await seed(5);
    const wrong = testAuditKey('a forger guessing');
    forge(3, (record) => wrong.mac(canonicalJson(record)));
    const { code, out } = await verify();
    assert.equal(code, 1);
    assert.match(out[0] ?? '', /BROKEN at record 3: its content does not match its hash/);
  });

  it('a forger signing with a key of their own is named: that key is not AUDIT_KEY', async () => {
    await seed(5);
    const own = testAuditKey('the forger’s own');
    forge(3, (record) => hashRecord(record, own), own.id);
    const { code, out } = await verify();
    assert.equal(code, 1);
    assert.match(
      out[0] ?? '',
      /BROKEN at record 3: it is signed with key [0-9a-f]{16}, which is neither AUDIT_KEY nor in AUDIT_KEY_PREVIOUS/,
    );
  });

  it('stripping the key ids and rebuilding a plain chain from the start is not accepted', async () => {
    await seed(5);
    forge(1, plainHash, null);
    const { code, out } = await verify();
    assert.equal(code, 1);
    assert.match(out[0] ?? '', /NOT KEYED: all 5 record\(s\) are plain SHA-256/);
  });

  it('stripping the key from the records after an edit fails: no unkeyed record after keyed ones', async () => {
    await seed(5);
    forge(3, plainHash, null);
    const { code, out } = await verify();
    assert.equal(code, 1);
    assert.match(out[0] ?? '', /BROKEN at record 3: it has no key after keyed records/);
  });

  it('the same forgery made with the right key passes: the key is what protects the trail', async () => {
    await seed(5);
    forge(3, (record) => hashRecord(record, keyring.current));
    assert.equal((await verify()).code, 0);
  });

  it('verify without AUDIT_KEY stops with a clear message, and never prints the key', async () => {
    await seed(2);
    const without = await verify({});
    assert.equal(without.code, 2);
    assert.match(without.out.join('\n'), /set AUDIT_KEY/);
    const short = await verify({ AUDIT_KEY: 'c2hvcnQ=' });
    assert.equal(short.code, 2);
    assert.match(short.out.join('\n'), /AUDIT_KEY must hold at least 32 random bytes/);
    const withKey = await verify();
    for (const line of [...without.out, ...short.out, ...withKey.out]) {
      assert.ok(!line.includes(testAuditKeyText()), 'the key is never printed');
      assert.ok(!line.includes('c2hvcnQ='), 'nor a bad one');
    }
  });

  it('a database from before the key: its unkeyed prefix is sealed by the first keyed record and reported', async () => {
    // Two records as the unkeyed chain wrote them (key_id NULL, plain SHA-256).
    const log = new SqliteAuditLog(file, { keyring });
    await log.close();
    const db = new Database(file);
    const insert = db.prepare(
      `INSERT INTO audit_events (seq, at, type, request_id, actor_id, details, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    let prevHash = GENESIS_HASH;
    for (const n of [1, 2]) {
      const e = event(n);
      const base = { ...e, seq: n, prevHash };
      const hash = hashRecord(base);
      insert.run(
        n,
        e.at,
        e.type,
        e.requestId,
        e.actorId,
        JSON.stringify(e.details),
        prevHash,
        hash,
      );
      prevHash = hash;
    }
    db.close();
    await seed(1);
    const keyed = new SqliteAuditLog(file, { keyring });
    const types = [...keyed.records()].map(
      (r) => `${r.seq}:${r.type}:${r.keyId ? 'keyed' : 'plain'}`,
    );
    await keyed.close();
    assert.deepEqual(types, [
      '1:approval.recorded:plain',
      '2:approval.recorded:plain',
      '3:audit.keyed:keyed',
      '4:approval.recorded:keyed',
    ]);
    const { code, out } = await verify();
    assert.equal(code, 0, out.join('\n'));
    assert.match(out[1] ?? '', /records 1-2 predate the audit key/);
    // The prefix is frozen: rewriting it (plain SHA-256 is all it needs) breaks the keyed marker.
    forge(1, plainHash);
    const broken = await verify();
    assert.equal(broken.code, 1);
    assert.match(broken.out[0] ?? '', /BROKEN at record 3/);
  });

  describe('rotation', () => {
    const oldKey = testAuditKey('old');
    const newKey = testAuditKey('new');

    it('verifies records of the retired key with AUDIT_KEY_PREVIOUS, and only with it', async () => {
      await seed(2, new AuditKeyring(oldKey));
      await seed(2, new AuditKeyring(newKey, [oldKey]));
      const env = {
        AUDIT_KEY: testAuditKeyText('new'),
        AUDIT_KEY_PREVIOUS: testAuditKeyText('old'),
      };
      assert.equal((await verify(env)).code, 0);
      const withoutPrevious = await verify({ AUDIT_KEY: testAuditKeyText('new') });
      assert.equal(withoutPrevious.code, 1);
      assert.match(withoutPrevious.out[0] ?? '', /BROKEN at record 1: it is signed with key/);
    });

    it('an instance left on the old key refuses to append after the new key took over', async () => {
      await seed(1, new AuditKeyring(oldKey));
      await seed(1, new AuditKeyring(newKey, [oldKey]));
      const stale = new SqliteAuditLog(file, { keyring: new AuditKeyring(oldKey) });
      await assert.rejects(stale.append(event(3)), AuditKeyMismatch);
      await stale.close();
    });

    it('a record signed with the retired key after the newer one is refused (a leaked old key)', async () => {
      await seed(1, new AuditKeyring(oldKey));
      await seed(1, new AuditKeyring(newKey, [oldKey]));
      // The holder of the leaked old key appends directly, bypassing the instance's check.
      const db = new Database(file);
      const last = db.prepare('SELECT * FROM audit_events ORDER BY seq DESC LIMIT 1').get() as Row;
      const e = event(9);
      const base = { ...e, seq: last.seq + 1, prevHash: last.hash, keyId: oldKey.id };
      db.prepare(
        `INSERT INTO audit_events (seq, at, type, request_id, actor_id, details, prev_hash, key_id, hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        base.seq,
        e.at,
        e.type,
        e.requestId,
        e.actorId,
        JSON.stringify(e.details),
        base.prevHash,
        oldKey.id,
        hashRecord(base, oldKey),
      );
      db.close();
      const { code, out } = await verify({
        AUDIT_KEY: testAuditKeyText('new'),
        AUDIT_KEY_PREVIOUS: testAuditKeyText('old'),
      });
      assert.equal(code, 1);
      assert.match(
        out[0] ?? '',
        /BROKEN at record 3: it is signed with key [0-9a-f]+ after a newer key had replaced it/,
      );
    });
  });
});
