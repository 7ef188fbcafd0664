// Several instances on one store: the run lease decides which engine executes a run, a run whose
// owner stopped renewing is taken over after the lease expires, and an engine that lost its lease
// stops starting steps. Two engines share one SQLite store here, as two processes would.
import { strict as assert } from 'node:assert';
import { systemClock } from '../../../src/core/clock';
import { RevocationEngine } from '../../../src/core/revocation/engine';
import { RequestUpdater } from '../../../src/core/request-updater';
import { runbookPlan } from '../../support/runbook-plan';
import type { RevocationRequest } from '../../../src/core/model';
import { loadSandboxTenant, type SandboxTenant } from '../../../src/directory/sandbox';
import { SqliteRequestStore } from '../../../src/store';
import { aRequest } from '../../support/builders';
import { RecordingNotifier } from '../../support/recording-notifier';
import { captureLogger, type LogLine } from '../../support/capture-logger';

const UPN = 'alice.johnson@contoso.com';

describe('revocation engine with run leases (several instances)', () => {
  let sandbox: SandboxTenant;
  let store: SqliteRequestStore;
  let lines: LogLine[];
  let request: RevocationRequest;

  beforeEach(async () => {
    sandbox = await loadSandboxTenant(undefined, { clock: systemClock, latencyMs: 20 });
    store = new SqliteRequestStore(':memory:');
    lines = [];
    const user = await sandbox.directory.findUser(UPN);
    assert.ok(user);
    const devices = await sandbox.directory.listRegisteredDevices(user.id);
    const target = {
      id: user.id,
      userPrincipalName: user.userPrincipalName,
      displayName: user.displayName,
      onPremisesSynced: user.onPremisesSyncEnabled,
      onPremisesSamAccountName: user.onPremisesSamAccountName,
      onPremisesSecurityIdentifier: user.onPremisesSecurityIdentifier,
      deviceCount: devices.length,
    };
    const plan = runbookPlan(target, devices, { onPremConfigured: true });
    request = aRequest({ id: 'R-LEASE01', status: 'running', target, steps: plan.steps });
    await store.create(request);
    sandbox.behaviour.clearCalls();
  });

  afterEach(() => store.close());

  function engine(owner: string, ttlMs = 1_000): RevocationEngine {
    return new RevocationEngine({
      updater: new RequestUpdater(store),
      directory: sandbox.directory,
      onPrem: sandbox.onPrem,
      notifier: new RecordingNotifier(),
      clock: systemClock,
      logger: captureLogger(lines, { owner }),
      concurrency: 4,
      leases: { store, owner, ttlMs },
    });
  }

  const started = () => lines.filter((l) => l.message === 'run started');

  it('runs a request once when two instances are asked to run it at the same moment', async () => {
    await Promise.all([engine('a').run(request.id), engine('b').run(request.id)]);
    const done = await store.get(request.id);
    assert.equal(done?.status, 'completed');
    assert.equal(started().length, 1, 'one engine executed the run');
    for (const step of done?.steps ?? []) assert.equal(step.attempts, 1, step.id);
    assert.equal(await store.acquireRunLease(request.id, 'c', 1_000), true, 'lease released');
  });

  it('leaves a run whose lease another live owner holds, and takes it once that lease expires', async () => {
    assert.equal(await store.acquireRunLease(request.id, 'dead-instance', 300), true);
    const survivor = engine('b');
    await survivor.run(request.id);
    assert.equal((await store.get(request.id))?.status, 'running', 'not taken while held');
    assert.equal(started().length, 0);
    await new Promise((resolve) => setTimeout(resolve, 350));
    await survivor.run(request.id);
    assert.equal((await store.get(request.id))?.status, 'completed');
  });

  it('keeps its lease by renewing it through a run longer than the lease', async () => {
    sandbox.behaviour.latencyMs = 60;
    const owner = engine('a', 150);
    const rival = engine('b', 150);
    const run = owner.run(request.id);
    for (let i = 0; i < 5; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      await rival.run(request.id);
    }
    await run;
    assert.equal(started().length, 1, 'the rival never got the lease');
    assert.equal((await store.get(request.id))?.status, 'completed');
  });

  it('stops starting steps once another instance has taken its lease', async () => {
    sandbox.behaviour.latencyMs = 80;
    const owner = engine('a', 150);
    const run = owner.run(request.id);
    await new Promise((resolve) => setTimeout(resolve, 60));
    // As if this process had stalled past its expiry and "b" had taken over.
    await store.releaseRunLease(request.id, 'a');
    assert.equal(await store.acquireRunLease(request.id, 'b', 60_000), true);
    await run;
    const after = await store.get(request.id);
    assert.equal(after?.status, 'running', 'left for the new owner to finish');
    assert.ok(
      after?.steps.some((s) => s.status === 'pending'),
      'no new step was started after the loss',
    );
    assert.ok(lines.some((l) => l.message.includes('lease lost')));
  });
});
