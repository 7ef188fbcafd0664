// The composition root's one event from the engine's notifier to the batch service.
import { strict as assert } from 'node:assert';
import { BatchChildChanges } from '../src/batch-child-changes';

describe('BatchChildChanges', () => {
  it('hands every emitted batch id to its listener', () => {
    const changes = new BatchChildChanges();
    const seen: string[] = [];
    changes.listen((batchId) => seen.push(batchId));
    changes.emit('b1');
    changes.emit('b2');
    assert.deepEqual(seen, ['b1', 'b2']);
  });

  it('refuses a second listener, which would silently replace the batch service', () => {
    const changes = new BatchChildChanges();
    changes.listen(() => undefined);
    assert.throws(() => changes.listen(() => undefined), /already have a listener/);
  });
});
