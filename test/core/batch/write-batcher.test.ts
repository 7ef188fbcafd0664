// A wave's writes through $batch (GRAPH_WRITE_BATCH): writes of different users that arrive
// together share one round trip of at most 20, each keeps its own outcome, each is charged to the
// write budget as Graph counts it, and a 429 inside the batch pauses the gate for its Retry-After.
import { strict as assert } from 'node:assert';
import { DirectoryError } from '../../../src/core/errors';
import { RateGate } from '../../../src/core/batch/rate-gate';
import { gatedDirectory } from '../../../src/core/batch/gated-directory';
import type { BatchedWrite } from '../../../src/core/batch/write-batcher';
import { FakeClock } from '../../support/fake-clock';

function directoryThatMustNotBeCalled() {
  const fail = async (_id: string): Promise<void> => assert.fail('should go through $batch');
  return {
    disableUser: fail,
    revokeSignInSessions: fail,
    disableDevice: fail,
    getUser: async (id: string) => ({ id }),
  };
}

describe('gatedDirectory with a write batch', () => {
  it('sends the writes of many users together, 20 at most, each with its own outcome', async () => {
    const gate = new RateGate(
      { units: { budget: 10_000, windowMs: 1_000 }, writes: { budget: 10_000, windowMs: 1_000 } },
      new FakeClock(),
    );
    const sent: BatchedWrite[][] = [];
    const gated = gatedDirectory(directoryThatMustNotBeCalled(), gate, {
      lingerMs: 5,
      writeBatch: {
        writeMany: async (writes) => {
          sent.push([...writes]);
          return writes.map((w) =>
            w.id === 'u-7' && w.kind === 'revokeSignInSessions'
              ? new DirectoryError('throttled', 'busy', { retryAfterMs: 3_000 })
              : undefined,
          );
        },
      },
    });
    const users = Array.from({ length: 10 }, (_, i) => `u-${i}`);
    const outcomes = await Promise.allSettled(
      users.flatMap((id) => [
        gated.disableUser(id),
        gated.revokeSignInSessions(id),
        gated.disableDevice(`d-${id}`),
      ]),
    );
    assert.deepEqual(
      sent.map((b) => b.length),
      [20, 10],
    );
    assert.deepEqual(sent[0]?.slice(0, 3), [
      { kind: 'disableUser', id: 'u-0' },
      { kind: 'revokeSignInSessions', id: 'u-0' },
      { kind: 'disableDevice', id: 'd-u-0' },
    ]);
    const rejected = outcomes.flatMap((o, i) => (o.status === 'rejected' ? [i] : []));
    assert.deepEqual(rejected, [7 * 3 + 1], "only user 7's revocation failed");
    const reason = (outcomes[22] as PromiseRejectedResult).reason as DirectoryError;
    assert.equal(reason.kind, 'throttled');
    assert.equal(gate.stats.pauses, 1, 'its Retry-After paused the gate');
    assert.deepEqual(await gated.getUser('u1'), { id: 'u1' }, 'reads are not batched');
  });

  it('charges every write inside a $batch to the write budget', async () => {
    const clock = new FakeClock();
    const gate = new RateGate(
      { units: { budget: 10_000, windowMs: 1_000 }, writes: { budget: 4, windowMs: 60_000 } },
      clock,
    );
    const sentAt: number[] = [];
    const gated = gatedDirectory(directoryThatMustNotBeCalled(), gate, {
      lingerMs: 1,
      writeBatch: {
        writeMany: async (writes) => {
          sentAt.push(clock.now().getTime());
          return writes.map(() => undefined);
        },
      },
    });
    const start = clock.now().getTime();
    await Promise.all(['a', 'b', 'c', 'd'].map((id) => gated.disableUser(id)));
    await Promise.all(['e', 'f'].map((id) => gated.disableUser(id)));
    assert.deepEqual(
      sentAt.map((t) => t - start),
      [0, 60_000],
      'the second batch waited for the four writes of the first to leave the window',
    );
  });

  it('makes the plain call for a write nobody joined', async () => {
    const gate = new RateGate(
      { units: { budget: 10, windowMs: 1_000 }, writes: { budget: 10, windowMs: 1_000 } },
      new FakeClock(),
    );
    const plain: string[] = [];
    const gated = gatedDirectory(
      {
        disableUser: async (id: string) => {
          plain.push(id);
        },
      },
      gate,
      { lingerMs: 1, writeBatch: { writeMany: async () => assert.fail('alone: no $batch') } },
    );
    await gated.disableUser('alone');
    assert.deepEqual(plain, ['alone']);
  });
});
