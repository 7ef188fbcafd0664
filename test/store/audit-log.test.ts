// The audit trail on SQLite: a keyed hash chain that the CLI verifies, that names the first
// altered or missing record, and that never holds a secret.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteAuditLog } from '../../src/store';
import { runAuditCli } from '../../src/cli/audit';
import { hashRecord } from '../../src/audit/chain';
import type { AuditEvent } from '../../src/core/audit-event';
import { testAuditKeyText, testKeyring } from '../support/memory-audit-log';

const keyring = testKeyring();

function event(n: number, overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    type: 'approval.recorded',
    at: new Date(Date.UTC(2025, 2, 1, 9, n)).toISOString(),
    requestId: 'R-20250301-ABCD',
    actorId: `actor-${n}`,
    details: { as: 'approver', approvals: n, requiredApprovals: 2 },
    ...overrides,
  };
}

describe('audit trail (SQLite)', () => {
  let dir: string;
  let url: string;
  let file: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'revoke-audit-'));
    file = join(dir, 'revoke.db');
    url = `sqlite:${file}`;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function seed(count: number): Promise<void> {
    const log = new SqliteAuditLog(file, { keyring });
    for (let n = 1; n <= count; n++) await log.append(event(n));
    await log.close();
  }

  async function cli(...args: string[]): Promise<{ code: number; out: string[] }> {
    const out: string[] = [];
    const code = await runAuditCli(
      args,
      { DATABASE_URL: url, AUDIT_KEY: testAuditKeyText() },
      (line) => out.push(line),
    );
    return { code, out };
  }

  it('chains every record to the previous one and verifies', async () => {
    await seed(5);
    const { code, out } = await cli('verify');
    assert.equal(code, 0);
    assert.match(out[0] ?? '', /intact: 5 record\(s\)/);
  });

  it('a row edited directly in SQLite fails verification at that row', async () => {
    await seed(5);
    const db = new Database(file);
    // The append-only trigger stops an accidental UPDATE…
    assert.throws(
      () => db.prepare("UPDATE audit_events SET actor_id = 'mallory' WHERE seq = 3").run(),
      /append-only/,
    );
    // …so a deliberate forger drops it first. The chain still catches the edit.
    db.exec('DROP TRIGGER audit_events_no_update');
    db.prepare("UPDATE audit_events SET actor_id = 'mallory' WHERE seq = 3").run();
    db.close();
    const { code, out } = await cli('verify');
    assert.equal(code, 1);
    assert.match(out[0] ?? '', /BROKEN at record 3: its content does not match its hash/);
  });

  it('a hash recomputed with the key on the edited row breaks the link of the next row', async () => {
    await seed(4);
    const log = new SqliteAuditLog(file, { keyring });
    const records = [...log.records()];
    await log.close();
    const second = records[1];
    assert.ok(second);
    const forged = { ...second, actorId: 'mallory' };
    const db = new Database(file);
    db.exec('DROP TRIGGER audit_events_no_update');
    db.prepare('UPDATE audit_events SET actor_id = ?, hash = ? WHERE seq = 2').run(
      'mallory',
      hashRecord(forged, keyring.current),
    );
    db.close();
    const { code, out } = await cli('verify');
    assert.equal(code, 1);
    assert.match(out[0] ?? '', /BROKEN at record 3: its link to the previous record/);
  });

  it('a deleted row is reported as missing', async () => {
    await seed(4);
    const db = new Database(file);
    db.exec('DROP TRIGGER audit_events_no_delete');
    db.prepare('DELETE FROM audit_events WHERE seq = 2').run();
    db.close();
    const { code, out } = await cli('verify');
    assert.equal(code, 1);
    assert.match(out[0] ?? '', /BROKEN at record 3: expected record 2 next/);
  });

  it('two rows swapped wholesale (content, hashes and all) fail at the first of them', async () => {
    await seed(5);
    const db = new Database(file);
    db.exec('DROP TRIGGER audit_events_no_delete');
    db.transaction(() => {
      const row = db.prepare('SELECT * FROM audit_events WHERE seq = ?');
      const two = row.get(2) as Record<string, unknown>;
      const four = row.get(4) as Record<string, unknown>;
      db.prepare('DELETE FROM audit_events WHERE seq IN (2, 4)').run();
      const insert = db.prepare(
        `INSERT INTO audit_events (seq, at, type, request_id, actor_id, details, prev_hash, key_id, hash)
         VALUES (@seq, @at, @type, @request_id, @actor_id, @details, @prev_hash, @key_id, @hash)`,
      );
      insert.run({ ...four, seq: 2 });
      insert.run({ ...two, seq: 4 });
    })();
    db.close();
    const { code, out } = await cli('verify');
    assert.equal(code, 1);
    assert.match(out[0] ?? '', /BROKEN at record 2: its link to the previous record/);
  });

  it('two rows whose sequence numbers are swapped fail verification', async () => {
    await seed(5);
    const db = new Database(file);
    db.exec('DROP TRIGGER audit_events_no_update');
    db.transaction(() => {
      db.prepare('UPDATE audit_events SET seq = -3 WHERE seq = 3').run();
      db.prepare('UPDATE audit_events SET seq = 3 WHERE seq = 4').run();
      db.prepare('UPDATE audit_events SET seq = 4 WHERE seq = -3').run();
    })();
    db.close();
    const { code, out } = await cli('verify');
    assert.equal(code, 1);
    assert.match(out[0] ?? '', /BROKEN at record 3: its link to the previous record/);
  });

  it('a trail cut short verifies on its own, and fails against an anchor kept elsewhere', async () => {
    await seed(5);
    const intact = await cli('verify');
    const lastHash = /last hash ([0-9a-f]{64})/.exec(intact.out[0] ?? '')?.[1];
    assert.ok(lastHash, intact.out[0]);
    const db = new Database(file);
    db.exec('DROP TRIGGER audit_events_no_delete');
    db.prepare('DELETE FROM audit_events WHERE seq >= 4').run();
    db.close();
    // The residual risk, stated as a test: without an anchor the shorter chain is consistent.
    assert.equal((await cli('verify')).code, 0);
    const anchored = await cli('verify', '--anchor', lastHash);
    assert.equal(anchored.code, 1);
    assert.match(anchored.out[0] ?? '', /TRUNCATED: no record has the anchor hash/);
    assert.equal((await cli('verify', '--anchor', 'not-a-hash')).code, 2);
  });

  it('runs as `revoke audit verify|export` from the revoke bin', async () => {
    await seed(3);
    const bin = join(__dirname, '..', '..', 'src', 'cli', 'revoke.js');
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [bin, 'audit', ...args], {
        env: { ...process.env, DATABASE_URL: url, AUDIT_KEY: testAuditKeyText() },
        encoding: 'utf8',
      });
    const verify = run('verify');
    assert.equal(verify.status, 0, verify.stderr);
    assert.match(verify.stdout, /intact: 3 record\(s\)/);
    const exported = run('export', '--since', '2025-03-01T09:02:00Z');
    assert.equal(exported.status, 0, exported.stderr);
    assert.equal(exported.stdout.trim().split('\n').length, 2);
    assert.equal(run('bogus').status, 2);
  });

  it('exports JSON lines, optionally --since a time', async () => {
    await seed(4);
    const all = await cli('export');
    assert.equal(all.out.length, 4);
    const since = await cli('export', '--since', '2025-03-01T09:03:00Z');
    assert.deepEqual(
      since.out.map((line) => (JSON.parse(line) as { seq: number }).seq),
      [3, 4],
    );
    assert.equal((await cli('export', '--since', 'yesterday-ish')).code, 2);
    assert.equal((await cli('frobnicate')).code, 2);
  });

  it('keeps secrets out: secret-named keys are redacted and token-looking values masked', async () => {
    const log = new SqliteAuditLog(file, { keyring });
    await log.append(
      event(1, {
        details: {
          clientSecret: 'Sx8Q~super-secret-value',
          note: 'Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl',
          reason: 'password=hunter2 was typed in chat',
        },
      }),
    );
    const text = JSON.stringify([...log.records()]);
    await log.close();
    for (const secret of ['super-secret-value', 'eyJhbGciOiJSUzI1NiJ9', 'hunter2']) {
      assert.ok(!text.includes(secret), `"${secret}" must not be stored`);
    }
    assert.equal((await cli('verify')).code, 0, 'redaction happens before hashing');
  });

  it('two logs on one database (two processes) never fork the chain', async () => {
    const a = new SqliteAuditLog(file, { keyring });
    const b = new SqliteAuditLog(file, { keyring });
    for (let n = 1; n <= 10; n++) await (n % 2 ? a : b).append(event(n));
    await a.close();
    await b.close();
    const { code, out } = await cli('verify');
    assert.equal(code, 0, out.join('\n'));
    assert.match(out[0] ?? '', /10 record/);
  });
});
