// Writes of a step by a run that no longer owns it (a lease taken over while it stalled), store
// errors in the middle of a run, and read-backs that lag the write they check.
import { strict as assert } from 'node:assert';
import { DirectoryError } from '../../../src/core/errors';
import type { RevocationRequest, Step } from '../../../src/core/model';
import type { EntraDirectory, RunLeases } from '../../../src/core/ports';
import type { MemoryRequestStore } from '../../support/memory-store';
import { BOB_UPN, harness, saved, statusOf, type Harness } from './engine-harness';

/** Another instance writes the step, as the new owner of the run would. */
async function otherInstanceWrites(
  store: MemoryRequestStore,
  requestId: string,
  stepId: string,
  change: (step: Step) => Step,
): Promise<void> {
  const current = await store.get(requestId);
  assert.ok(current);
  const next: RevocationRequest = {
    ...current,
    version: current.version + 1,
    steps: current.steps.map((s) => (s.id === stepId ? change(s) : s)),
  };
  const hook = store.beforeWrite;
  store.beforeWrite = undefined;
  assert.ok(await store.compareAndSwap(next, current.version));
  store.beforeWrite = hook;
}

const finishedByOther = (s: Step): Step => ({
  ...s,
  status: 'succeeded',
  attempts: s.attempts + 1,
  outcome: 'done by instance b',
});

const step = (request: RevocationRequest, id: string): Step | undefined =>
  request.steps.find((s) => s.id === id);

const logged = (h: Harness, message: string): boolean =>
  h.lines.some((line) => line.message.startsWith(message));

describe('revocation engine: fenced step writes', () => {
  it('does not start a step another run finished after this one read it as pending', async () => {
    const h = await harness(BOB_UPN);
    // Between this run's read of the request and its first write, the new owner runs the step.
    h.store.beforeWrite = async () => {
      h.store.beforeWrite = undefined;
      await otherInstanceWrites(h.store, h.request.id, 'entra-disable', finishedByOther);
    };
    await h.engine.run(h.request.id);
    const done = await saved(h);
    assert.equal(h.sandbox.behaviour.callsTo('disableUser').length, 0, 'not run a second time');
    assert.equal(step(done, 'entra-disable')?.attempts, 1);
    assert.equal(step(done, 'entra-disable')?.outcome, 'done by instance b');
    assert.ok(logged(h, 'step not started'));
    assert.equal(done.status, 'completed');
  });

  it('drops a late result of a step the new owner took over and finished', async () => {
    const h = await harness(BOB_UPN, {
      wrapDirectory: (d) => {
        const stalled = Object.create(d) as EntraDirectory;
        stalled.disableUser = async (id) => {
          await otherInstanceWrites(h.store, h.request.id, 'entra-disable', finishedByOther);
          return d.disableUser(id);
        };
        return stalled;
      },
    });
    await h.engine.run(h.request.id);
    const done = await saved(h);
    assert.equal(step(done, 'entra-disable')?.outcome, 'done by instance b');
    assert.equal(step(done, 'entra-disable')?.attempts, 2);
    assert.ok(logged(h, 'step result dropped'));
  });

  it('drops a late failure of a step the new owner is running', async () => {
    const h = await harness(BOB_UPN, {
      wrapDirectory: (d) => {
        const stalled = Object.create(d) as EntraDirectory;
        stalled.disableUser = async () => {
          await otherInstanceWrites(h.store, h.request.id, 'entra-disable', (s) => ({
            ...s,
            status: 'running',
            attempts: s.attempts + 1,
          }));
          throw new DirectoryError('permission', 'Insufficient privileges');
        };
        return stalled;
      },
    });
    await h.engine.run(h.request.id);
    const left = await saved(h);
    assert.equal(statusOf(left, 'entra-disable'), 'running', "the new owner's attempt stands");
    assert.equal(step(left, 'entra-disable')?.error, undefined);
    assert.ok(logged(h, 'step failure dropped'));
  });

  it('stops a step at `remember` once another run has taken it, before it acts', async () => {
    const h = await harness(BOB_UPN, {
      wrapDirectory: (d) => {
        const stalled = Object.create(d) as EntraDirectory;
        let first = true;
        stalled.getUser = async (id) => {
          if (first) {
            first = false;
            await otherInstanceWrites(h.store, h.request.id, 'entra-disable', (s) => ({
              ...s,
              status: 'running',
              attempts: s.attempts + 1,
            }));
          }
          return d.getUser(id);
        };
        return stalled;
      },
    });
    await h.engine.run(h.request.id);
    const left = await saved(h);
    assert.equal(h.sandbox.behaviour.callsTo('disableUser').length, 0);
    assert.equal(step(left, 'entra-disable')?.facts, undefined);
    assert.equal(step(left, 'entra-disable')?.attempts, 2);
    assert.ok(logged(h, 'step taken over'));
  });
});

describe('revocation engine: store errors mid-run', () => {
  it('waits for the other steps in flight before releasing the lease', async () => {
    const events: string[] = [];
    const leases: RunLeases = {
      acquireRunLease: async () => true,
      renewRunLease: async () => true,
      releaseRunLease: async () => void events.push('lease released'),
    };
    const h = await harness(BOB_UPN, {
      leases,
      wrapDirectory: (d) => {
        const slow = Object.create(d) as EntraDirectory;
        slow.disableDevice = async (id) => {
          await new Promise((resolve) => setTimeout(resolve, 30));
          events.push('disableDevice returned');
          return d.disableDevice(id);
        };
        return slow;
      },
    });
    const write = h.store.compareAndSwap.bind(h.store);
    h.store.compareAndSwap = async (next, expected) => {
      const status = statusOf(next, 'entra-disable');
      if (status === 'succeeded' || status === 'failed') throw new Error('database is gone');
      return write(next, expected);
    };
    await h.engine.run(h.request.id);
    assert.deepEqual(events, ['disableDevice returned', 'lease released']);
    const left = await saved(h);
    assert.equal(statusOf(left, 'entra-disable'), 'running', 'left as saved, to be resumed');
    assert.ok(logged(h, 'step state could not be saved'));
  });
});

/** getUser shows the account enabled for `reads` reads after the first disable. */
function laggingReadBack(reads: number): (d: EntraDirectory) => EntraDirectory {
  return (d) => {
    const lagging = Object.create(d) as EntraDirectory;
    let stale = 0;
    let disabled = false;
    lagging.disableUser = async (id) => {
      await d.disableUser(id);
      if (!disabled) stale = reads;
      disabled = true;
    };
    lagging.getUser = async (id) => {
      const user = await d.getUser(id);
      if (!user || stale === 0) return user;
      stale--;
      return { ...user, accountEnabled: true };
    };
    return lagging;
  };
}

describe('revocation engine: read-backs that lag the write', () => {
  it('repeats a step whose read-back does not show the write yet', async () => {
    const h = await harness(BOB_UPN, { wrapDirectory: laggingReadBack(2) });
    await h.engine.run(h.request.id);
    const done = await saved(h);
    assert.equal(done.status, 'completed');
    assert.equal(step(done, 'entra-disable')?.attempts, 2);
    assert.equal(step(done, 'entra-disable')?.facts?.wasEnabled, true, 'the first read is kept');
    assert.equal(h.sandbox.behaviour.callsTo('disableUser').length, 2);
    assert.equal(h.clock.sleeps.length, 1);
    assert.ok(h.notifier.cards.some((c) => statusOf(c, 'entra-disable') === 'retrying'));
  });

  it('fails with the verification message after a bounded number of repeats', async () => {
    const h = await harness(BOB_UPN, { wrapDirectory: laggingReadBack(Number.POSITIVE_INFINITY) });
    await h.engine.run(h.request.id);
    const done = await saved(h);
    assert.equal(statusOf(done, 'entra-disable'), 'failed');
    assert.match(step(done, 'entra-disable')?.error?.message ?? '', /^Verification failed/);
    assert.equal(h.sandbox.behaviour.callsTo('disableUser').length, 4);
    assert.equal(h.clock.sleeps.length, 3);
    assert.ok(h.clock.sleeps.reduce((a, b) => a + b, 0) <= 60_000, 'within the deadline');
  });

  it('does not repeat a whole step for a fault its calls already retried', async () => {
    const h = await harness(BOB_UPN);
    h.sandbox.behaviour.failAlways('revokeSignInSessions', 'transient');
    await h.engine.run(h.request.id);
    assert.equal(statusOf(await saved(h), 'entra-revoke-sessions'), 'failed');
    assert.equal(h.sandbox.behaviour.callsTo('revokeSignInSessions').length, 8, 'maxAttempts');
  });
});
