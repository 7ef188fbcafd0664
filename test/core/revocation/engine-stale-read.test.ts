// A step that finishes while the engine is reading the request: the copy read shows it still
// running, so the steps waiting for it look blocked, and nothing else is in flight. The run must
// not end there with those steps pending for ever (seen under a 3,000-user wave). The interleaving
// is driven by hand: directory calls and the engine's reads of the request answer when released.
import { strict as assert } from 'node:assert';
import type { RevocationRequest } from '../../../src/core/model';
import type { EntraDirectory } from '../../../src/core/ports';
import { RequestUpdater } from '../../../src/core/request-updater';
import type { MemoryRequestStore } from '../../support/memory-store';
import { BOB_UPN, harness, saved, statusOf } from './engine-harness';

/** One call or read held by the test: `reached` when it is made, answering once `release`d. */
interface Held {
  reached: Promise<void>;
  release(): void;
}

function held(): Held & { arrive(): Promise<void> } {
  let reached = (): void => undefined;
  let release = (): void => undefined;
  const reachedP = new Promise<void>((resolve) => (reached = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  return {
    reached: reachedP,
    release: () => release(),
    arrive: () => {
      reached();
      return released;
    },
  };
}

/**
 * The engine's reads of the request (`get`; the step saves go through `update`, untouched). A
 * held read takes its copy at once and answers with it when released, as a database read whose
 * answer is still on the way while another connection commits.
 */
class HeldReads extends RequestUpdater {
  private next: ReturnType<typeof held> | undefined;
  /** The copy the held read answered with. */
  heldCopy: RevocationRequest | undefined;

  /** Holds the engine's next read of the request. */
  holdNext(): Held {
    const gate = held();
    this.next = gate;
    return gate;
  }

  override async get(id: string): Promise<RevocationRequest | undefined> {
    const copy = await super.get(id);
    const gate = this.next;
    if (!gate) return copy;
    this.next = undefined;
    this.heldCopy = copy;
    await gate.arrive();
    return copy;
  }
}

/** disableUser and disableDevice wait for the test to release them. */
function heldCalls() {
  const disableUser = held();
  const disableDevice = held();
  return {
    disableUser,
    disableDevice,
    wrap: (d: EntraDirectory): EntraDirectory => {
      const wrapped = Object.create(d) as EntraDirectory;
      wrapped.disableUser = async (id) => {
        await disableUser.arrive();
        return d.disableUser(id);
      };
      wrapped.disableDevice = async (id) => {
        await disableDevice.arrive();
        return d.disableDevice(id);
      };
      return wrapped;
    },
  };
}

/**
 * Lets every promise continuation queued so far run: the rest of A's task (read-back, save, card,
 * audit, the engine's bookkeeping) is all promise continuations over in-memory fakes, which run
 * before the next turn of the event loop.
 */
const drained = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('engine: a step finishing while the request is read', () => {
  it('starts the step waiting for it and completes the run', async () => {
    let reads: HeldReads | undefined;
    const calls = heldCalls();
    const h = await harness(BOB_UPN, {
      wrapDirectory: calls.wrap,
      updater: (store: MemoryRequestStore) => (reads = new HeldReads(store)),
    });
    assert.ok(reads);
    // Bob's plan: A = entra-disable; B = entra-revoke-sessions, which waits for A; C = the device.
    const A = 'entra-disable';
    const B = 'entra-revoke-sessions';
    const C = h.request.steps.find((s) => s.kind === 'entra.disableDevice')?.id ?? '';
    assert.deepEqual(h.request.steps.find((s) => s.id === B)?.dependsOn, [A]);

    const run = h.engine.run(h.request.id);
    // A and C are running, each in its directory call.
    await calls.disableUser.reached;
    await calls.disableDevice.reached;

    // C finishes: the engine wakes and reads the request; that read is held.
    const read = reads.holdNext();
    calls.disableDevice.release();
    await read.reached;
    const stale = reads.heldCopy;
    assert.ok(stale);
    assert.equal(statusOf(stale, A), 'running');
    assert.equal(statusOf(stale, C), 'succeeded');

    // Meanwhile A finishes and is saved, and its task ends: nothing is in flight any more.
    calls.disableUser.release();
    await drained();
    const meanwhile = await saved(h);
    assert.equal(statusOf(meanwhile, A), 'succeeded');
    assert.equal(statusOf(meanwhile, B), 'pending');

    // The held read answers with the stale copy (A running): B looks blocked, nothing is active.
    read.release();
    await run;

    const done = await saved(h);
    assert.deepEqual(
      done.steps.map((s) => [s.id, s.status]),
      done.steps.map((s) => [s.id, 'succeeded']),
    );
    assert.equal(done.status, 'completed');
    assert.equal(h.sandbox.behaviour.callsTo('revokeSignInSessions').length, 1);
    assert.ok(h.sandbox.directory.signInSessionsValidFrom(done.target.id));
  });
});
