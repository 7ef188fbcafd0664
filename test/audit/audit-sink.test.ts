// The external copy of the audit trail (AUDIT_SINK): a JSON line per record as it is committed,
// carrying the sequence number and hash, so a trail truncated in the database shows against it.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openAuditSink, parseAuditSink, AUDIT_STREAM } from '../../src/audit/audit-sink';
import { openAuditTrail } from '../../src/audit/open-audit-trail';
import { runAuditCli } from '../../src/cli/audit';
import { systemClock } from '../../src/core/clock';
import { captureLogger } from '../support/capture-logger';
import { testAuditKeyText, testKeyring } from '../support/memory-audit-log';

interface SinkLine {
  stream: string;
  seq: number;
  hash: string;
  prevHash: string;
  type: string;
  keyId?: string;
}

describe('audit sink (AUDIT_SINK)', () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'revoke-sink-'));
    file = join(dir, 'revoke.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function appendSome(sink: string, count: number): Promise<void> {
    const opened = await openAuditTrail(
      {
        databaseUrl: `sqlite:${file}`,
        audit: { keyring: testKeyring(), sink: parseSink(sink) },
      },
      systemClock,
      captureLogger(),
    );
    for (let n = 1; n <= count; n++) {
      await opened.trail.append({
        type: 'step.succeeded',
        at: new Date(Date.UTC(2025, 2, 1, 9, n)).toISOString(),
        requestId: 'R-1',
        details: { stepId: `s${n}`, token: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl' },
      });
    }
    await opened.close();
  }

  function parseSink(text: string) {
    const setting = parseAuditSink(text);
    assert.ok(!('problem' in setting), JSON.stringify(setting));
    return setting;
  }

  it('writes one JSON line per committed record, with its sequence number, hash and key id', async () => {
    const sinkFile = join(dir, 'siem', 'audit.jsonl');
    await appendSome(`file:${sinkFile}`, 3);
    const lines = readFileSync(sinkFile, 'utf8').trim().split('\n');
    const parsed = lines.map((line) => JSON.parse(line) as SinkLine);
    assert.deepEqual(
      parsed.map((l) => [l.stream, l.seq, l.type]),
      [1, 2, 3].map((seq) => [AUDIT_STREAM, seq, 'step.succeeded']),
    );
    assert.equal(parsed[1]?.prevHash, parsed[0]?.hash);
    assert.equal(parsed[0]?.keyId, testKeyring().current.id);
    // The same scrubbing as the database copy: no token reaches the SIEM either.
    assert.ok(!lines.join('\n').includes('eyJhbGciOiJSUzI1NiJ9'));
    assert.ok(!lines.join('\n').includes(testAuditKeyText()));
  });

  it('a trail truncated in the database fails verify --anchor with the SIEM copy’s last hash', async () => {
    const sinkFile = join(dir, 'audit.jsonl');
    await appendSome(`file:${sinkFile}`, 5);
    const last = JSON.parse(
      readFileSync(sinkFile, 'utf8').trim().split('\n').at(-1) ?? '{}',
    ) as SinkLine;
    const db = new Database(file);
    db.exec('DROP TRIGGER audit_events_no_delete');
    db.prepare('DELETE FROM audit_events WHERE seq >= 4').run();
    db.close();
    const out: string[] = [];
    const env = { DATABASE_URL: `sqlite:${file}`, AUDIT_KEY: testAuditKeyText() };
    assert.equal(
      await runAuditCli(['verify'], env, (l) => out.push(l)),
      0,
      'the chain alone cannot tell',
    );
    const code = await runAuditCli(['verify', '--anchor', last.hash], env, (l) => out.push(l));
    assert.equal(code, 1);
    assert.match(out.at(-1) ?? '', /TRUNCATED: no record has the anchor hash/);
  });

  it('stdout (the default) tags each line so it can be told from log entries; off writes nothing', () => {
    const written: string[] = [];
    const record = {
      seq: 7,
      at: '2025-03-01T09:00:00.000Z',
      type: 'request.created' as const,
      details: {},
      prevHash: '0'.repeat(64),
      keyId: 'abc',
      hash: 'f'.repeat(64),
    };
    openAuditSink(parseSink(''), (line) => written.push(line)).write(record);
    openAuditSink(parseSink('off'), (line) => written.push(line)).write(record);
    assert.equal(written.length, 1);
    assert.ok(written[0]?.endsWith('\n'));
    assert.deepEqual(JSON.parse(written[0] ?? ''), { stream: AUDIT_STREAM, ...record });
  });

  it('refuses an AUDIT_SINK it does not know', () => {
    assert.match(
      (parseAuditSink('syslog') as { problem: string }).problem,
      /AUDIT_SINK must be stdout, off or file:/,
    );
  });
});
