// The sandbox's audit key without AUDIT_KEY: a file next to its SQLite database, never inside it.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { buildApp } from '../../src/app';
import { runAuditCli } from '../../src/cli/audit';
import { loadConfig } from '../../src/config';
import { projectRoot } from '../../src/project-root';
import { sandboxKeyPath } from '../../src/audit/sandbox-key';
import { captureLogger } from '../support/capture-logger';

describe('sandbox audit key file', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'revoke-sandbox-key-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is created beside the database, kept out of it, and used by `audit verify` without AUDIT_KEY', async () => {
    const url = `sqlite:${join(dir, 'revoke.db')}`;
    const env = {
      DATABASE_URL: url,
      SANDBOX_LATENCY_MS: '0',
      AUDIT_SINK: 'off',
      PLAYGROUND: 'off',
    };
    const config = loadConfig(env, projectRoot());
    for (let start = 1; start <= 2; start++) {
      const app = await buildApp(config, { logger: captureLogger() });
      await app.service.recordRefusedAccess(undefined, { reason: `start ${start}` });
      await app.stop();
    }
    const path = sandboxKeyPath(url);
    assert.equal(path, join(dir, 'audit.key'));
    assert.equal(statSync(path).mode & 0o777, 0o600);
    const key = readFileSync(path, 'utf8').trim();
    const db = new Database(join(dir, 'revoke.db'), { readonly: true });
    const everything = JSON.stringify(db.prepare('SELECT * FROM audit_events').all());
    db.close();
    assert.ok(!everything.includes(key), 'the key is not in the database');
    const out: string[] = [];
    // Both starts signed with the same key: the trail verifies across the restart.
    assert.equal(await runAuditCli(['verify'], { DATABASE_URL: url }, (l) => out.push(l)), 0);
    assert.match(out[0] ?? '', /intact: 2 record\(s\)/);
  });
});
