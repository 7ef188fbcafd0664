// One bot process per SQLite file, as deployed (`node dist/src/index.js`, sandbox tenant): a bot
// SIGKILLed mid-run and started again resumes the run at once, not when the dead process's lease
// expires (an hour here); a second process against the same file is refused while one runs; and
// `revoke doctor` still reads the database meanwhile.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Person } from '../../src/core/model';
import { loadSandboxTenant } from '../../src/directory/sandbox';
import { BotProcess, freePort } from '../support/bot-process';
import { ConnectorStandin } from '../support/connector-standin';
import { readRequest, requestAndApprove, waitUntil } from '../integration/revocation-driver';

describe('SQLite: a restarted bot takes its runs over at once; a second bot is refused', function () {
  this.timeout(90_000);
  const connector = new ConnectorStandin();
  let serviceUrl: string;
  let people: readonly Person[];
  let dir: string;
  let db: string;
  const bots: BotProcess[] = [];

  before(async () => {
    serviceUrl = await connector.start();
    people = (await loadSandboxTenant()).people;
    dir = mkdtempSync(join(tmpdir(), 'revoke-sqlite-restart-'));
    db = join(dir, 'revoke.db');
  });

  after(async () => {
    await Promise.all(bots.splice(0).map((bot) => bot.kill('SIGKILL')));
    await connector.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const person = (upn: string): Person => {
    const found = people.find((p) => p.upn === upn);
    assert.ok(found, upn);
    return found;
  };

  function env(latencyMs: number): Record<string, string> {
    return {
      DATABASE_URL: `sqlite:${db}`,
      PLAYGROUND: 'off',
      STARTUP_CHECKS: 'false',
      SANDBOX_LATENCY_MS: String(latencyMs),
      // Without the takeover at start the run would wait an hour for this lease.
      RUN_LEASE_SECONDS: '3600',
    };
  }

  async function start(latencyMs: number): Promise<string> {
    const port = await freePort();
    bots.push(await BotProcess.start(env(latencyMs), port));
    return `http://127.0.0.1:${port}`;
  }

  function leaseOwners(requestId: string): string[] {
    const reader = new Database(db, { readonly: true });
    try {
      return reader
        .prepare<[string], string>('SELECT owner FROM run_leases WHERE request_id = ?')
        .pluck()
        .all(requestId);
    } finally {
      reader.close();
    }
  }

  it('SIGKILL mid-run, restart: the run finishes without waiting for the lease', async () => {
    // Slow enough (25 devices) that the run is still going when it is killed.
    const first = await start(150);
    const { requestId } = await requestAndApprove({
      baseUrl: first,
      connector,
      serviceUrl,
      requester: person('sam.rivera@contoso.com'),
      approvers: [person('priya.patel@contoso.com'), person('marcus.chen@contoso.com')],
      upn: 'dana.obrien@contoso.com',
    });
    await waitUntil(
      () => readRequest(db, requestId).steps.some((s) => s.status === 'succeeded'),
      'the run is under way',
    );
    const killed = await bots[0]?.kill('SIGKILL');
    assert.equal(killed?.signal, 'SIGKILL');
    const atKill = readRequest(db, requestId);
    assert.equal(atKill.status, 'running', 'killed mid-run');
    const [deadOwner] = leaseOwners(requestId);
    assert.ok(deadOwner, 'the dead process still holds the lease in the database');

    const restartedAt = Date.now();
    await start(0);
    await waitUntil(
      () => readRequest(db, requestId).status !== 'running',
      'the restarted bot finishes the run',
      20_000,
    );
    assert.equal(readRequest(db, requestId).status, 'completed');
    assert.ok(Date.now() - restartedAt < 20_000);
    assert.ok(!leaseOwners(requestId).includes(deadOwner));
  });

  it('a second process against the same file is refused while the bot runs', async () => {
    assert.ok(bots.at(-1)?.running, 'the restarted bot is still running');
    const { exit, output } = await BotProcess.refusal(env(0), await freePort());
    assert.equal(exit.code, 1, output);
    assert.match(
      output,
      new RegExp(
        `Another Revoke process is using the SQLite database ${db.replace(/[.]/g, '\\.')} .*only one process may use a SQLite file`,
      ),
    );
  });

  it('revoke doctor reads the database while the bot runs', () => {
    assert.ok(bots.at(-1)?.running);
    const doctor = spawnSync(
      process.execPath,
      [join(__dirname, '..', '..', 'src', 'cli', 'revoke.js'), 'doctor'],
      { encoding: 'utf8', env: { ...process.env, ...env(0) } },
    );
    assert.match(
      doctor.stdout,
      /✓ Request store: .* reachable, schema v\d+ is current/,
      doctor.stdout,
    );
  });
});
