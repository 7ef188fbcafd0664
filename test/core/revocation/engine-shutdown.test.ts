// Graceful stop (SIGTERM) in the middle of a run: the engine must return within its grace period
// and leave no step `running` or `retrying` in the store, whatever the step was doing, so that the
// next start resumes the run instead of trusting a step nobody is running.
import { strict as assert } from 'node:assert';
import { DirectoryError } from '../../../src/core/errors';
import type { RevocationRequest } from '../../../src/core/model';
import type { EntraDirectory } from '../../../src/core/ports';
import { RequestUpdater } from '../../../src/core/request-updater';
import { RevocationEngine } from '../../../src/core/revocation/engine';
import { runbookPlan } from '../../support/runbook-plan';
import { systemClock } from '../../../src/core/clock';
import { loadSandboxTenant, type SandboxTenant } from '../../../src/directory/sandbox';
import { aRequest } from '../../support/builders';
import { captureLogger } from '../../support/capture-logger';
import { MemoryRequestStore } from '../../support/memory-store';
import { RecordingNotifier } from '../../support/recording-notifier';

interface Setup {
  sandbox: SandboxTenant;
  store: MemoryRequestStore;
  request: RevocationRequest;
  engine(directory: EntraDirectory, shutdownGraceMs?: number): RevocationEngine;
}

async function setup(): Promise<Setup> {
  const sandbox = await loadSandboxTenant(undefined, { latencyMs: 0 });
  const user = await sandbox.directory.findUser('bob.smith@contoso.com');
  assert.ok(user);
  const devices = await sandbox.directory.listRegisteredDevices(user.id);
  const target = {
    id: user.id,
    userPrincipalName: user.userPrincipalName,
    displayName: user.displayName,
    onPremisesSynced: false,
    deviceCount: devices.length,
  };
  const plan = runbookPlan(target, devices, { onPremConfigured: false });
  const request = aRequest({ id: 'R-STOP0001', status: 'running', target, steps: plan.steps });
  const store = new MemoryRequestStore();
  await store.create(request);
  return {
    sandbox,
    store,
    request,
    engine: (directory, shutdownGraceMs) =>
      new RevocationEngine({
        updater: new RequestUpdater(store),
        directory,
        onPrem: undefined,
        notifier: new RecordingNotifier(),
        // The real clock: what is under test is how long a real stop takes.
        clock: systemClock,
        logger: captureLogger(),
        concurrency: 1,
        shutdownGraceMs,
      }),
  };
}

async function waitUntil(probe: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function stepStatus(s: Setup, stepId: string): Promise<string | undefined> {
  return (await s.store.get(s.request.id))?.steps.find((step) => step.id === stepId)?.status;
}

describe('revocation engine: graceful stop', () => {
  it('cuts a long Retry-After wait short and puts the step back to pending', async () => {
    const s = await setup();
    const directory: EntraDirectory = Object.create(s.sandbox.directory) as EntraDirectory;
    directory.disableUser = () =>
      Promise.reject(
        new DirectoryError('throttled', 'throttled', { code: '429', retryAfterMs: 60_000 }),
      );
    const engine = s.engine(directory);
    const run = engine.run(s.request.id);
    await waitUntil(
      async () => (await stepStatus(s, 'entra-disable')) === 'retrying',
      'the step waits to retry',
    );

    const started = Date.now();
    await engine.shutdown();
    await run;
    assert.ok(Date.now() - started < 1_000, 'stopped without sitting out the Retry-After');
    const saved = await s.store.get(s.request.id);
    assert.equal(saved?.status, 'running', 'the run is left to resume');
    assert.deepEqual(
      saved?.steps.filter((step) => step.status === 'running' || step.status === 'retrying'),
      [],
    );
    assert.equal(await stepStatus(s, 'entra-disable'), 'pending');
  });

  it('gives up on a call that never answers after the grace period, leaving the step pending', async () => {
    const s = await setup();
    const directory: EntraDirectory = Object.create(s.sandbox.directory) as EntraDirectory;
    directory.disableUser = () => new Promise<void>(() => undefined);
    const engine = s.engine(directory, 200);
    void engine.run(s.request.id);
    await waitUntil(
      async () => (await stepStatus(s, 'entra-disable')) === 'running',
      'the step is running',
    );

    const started = Date.now();
    await engine.shutdown();
    const took = Date.now() - started;
    assert.ok(took >= 150 && took < 2_000, `waited the grace period, not forever (${took} ms)`);
    assert.equal(await stepStatus(s, 'entra-disable'), 'pending');

    // The next process picks it up and finishes.
    const next = s.engine(s.sandbox.directory);
    await next.run(s.request.id);
    const done = await s.store.get(s.request.id);
    assert.equal(done?.status, 'completed');
    assert.ok(done?.steps.every((step) => step.status === 'succeeded'));
  });

  it('lets a step that finishes within the grace period save its result', async () => {
    const s = await setup();
    const directory: EntraDirectory = Object.create(s.sandbox.directory) as EntraDirectory;
    let answer: () => void = () => undefined;
    directory.disableUser = (id) =>
      new Promise<void>((resolve) => {
        answer = () => void s.sandbox.directory.disableUser(id).then(resolve);
      });
    const engine = s.engine(directory, 5_000);
    void engine.run(s.request.id);
    await waitUntil(
      async () => (await stepStatus(s, 'entra-disable')) === 'running',
      'the step is running',
    );
    const stopping = engine.shutdown();
    answer();
    await stopping;
    assert.equal(await stepStatus(s, 'entra-disable'), 'succeeded');
    assert.equal(await stepStatus(s, 'entra-revoke-sessions'), 'pending', 'nothing new started');
  });
});
