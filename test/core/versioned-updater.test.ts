// The one compare-and-swap updater behind requests and batches: the audit hook runs before the
// save and stops it by throwing, and a lost race is reported and decided again on fresh state.
import { strict as assert } from 'node:assert';
import {
  ConcurrentUpdateError,
  VersionedUpdater,
  type VersionedStore,
} from '../../src/core/versioned-updater';

interface Doc {
  id: string;
  version: number;
  count: number;
}

/** Keeps one document; `interfere` runs between a read and the next save, like another writer. */
class OneDocStore implements VersionedStore<Doc> {
  doc: Doc = { id: 'd1', version: 1, count: 0 };
  saves = 0;
  reads = 0;
  interfere?: () => void;
  async get(id: string): Promise<Doc | undefined> {
    this.reads++;
    return id === this.doc.id ? { ...this.doc } : undefined;
  }
  async compareAndSwap(next: Doc, expectedVersion: number): Promise<boolean> {
    this.interfere?.();
    if (this.doc.version !== expectedVersion) return false;
    this.doc = { ...next };
    this.saves++;
    return true;
  }
}

const increment = (current: Doc): Doc => ({ ...current, count: current.count + 1 });

describe('VersionedUpdater', () => {
  it('saves the change with the next version, and leaves a declined one unsaved', async () => {
    const store = new OneDocStore();
    const updater = new VersionedUpdater(store, 'Doc');
    assert.deepEqual(await updater.update('d1', increment), { id: 'd1', version: 2, count: 1 });
    assert.deepEqual(await updater.update('d1', () => undefined), store.doc);
    assert.equal(store.saves, 1);
    assert.equal(await updater.update('nope', increment), undefined);
  });

  it('updateFrom saves on the copy it is given, without a read, when nobody changed it', async () => {
    const store = new OneDocStore();
    const updater = new VersionedUpdater(store, 'Doc');
    const saved = await updater.updateFrom({ id: 'd1', version: 1, count: 0 }, increment);
    assert.deepEqual(saved, { id: 'd1', version: 2, count: 1 });
    assert.deepEqual(store.doc, saved);
    assert.equal(store.reads, 0);
  });

  it('updateFrom decides again on what is stored when the copy is stale, or its change declined', async () => {
    const store = new OneDocStore();
    const updater = new VersionedUpdater(store, 'Doc');
    const stale = { ...store.doc };
    store.doc = { id: 'd1', version: 2, count: 5 };
    // Another writer's count is kept, and this change is added to it.
    assert.deepEqual(await updater.updateFrom(stale, increment), {
      id: 'd1',
      version: 3,
      count: 6,
    });
    assert.equal(store.reads, 1);
    // Declined on a stale copy: the stored document is returned, not the copy.
    const declinedOnCopy = (current: Doc) => (current.count === 0 ? undefined : increment(current));
    assert.deepEqual(await updater.updateFrom(stale, declinedOnCopy), {
      id: 'd1',
      version: 4,
      count: 7,
    });
  });

  it('runs beforeSave before the save, and a throwing beforeSave saves nothing', async () => {
    const store = new OneDocStore();
    const updater = new VersionedUpdater(store, 'Doc');
    const seen: string[] = [];
    await assert.rejects(
      updater.update('d1', increment, {
        beforeSave: async (next) => {
          seen.push(`before v${next.version} saves=${store.saves}`);
          throw new Error('audit down');
        },
        notSaved: async () => void seen.push('notSaved'),
      }),
      /audit down/,
    );
    assert.deepEqual(seen, ['before v2 saves=0']);
    assert.deepEqual(store.doc, { id: 'd1', version: 1, count: 0 });
  });

  it('reports a lost race with notSaved and decides again on the fresh state', async () => {
    const store = new OneDocStore();
    const updater = new VersionedUpdater(store, 'Doc');
    store.interfere = () => {
      store.interfere = undefined;
      store.doc = { ...store.doc, version: store.doc.version + 1, count: 10 };
    };
    const seen: number[] = [];
    const saved = await updater.update('d1', increment, {
      beforeSave: async () => undefined,
      notSaved: async (next) => void seen.push(next.count),
    });
    assert.deepEqual(seen, [1]);
    assert.deepEqual(saved, { id: 'd1', version: 3, count: 11 });
  });

  it('gives up after its attempts with a ConcurrentUpdateError naming the document', async () => {
    const store = new OneDocStore();
    store.interfere = () => {
      store.doc = { ...store.doc, version: store.doc.version + 1 };
    };
    const updater = new VersionedUpdater(store, 'Batch', 3);
    await assert.rejects(
      updater.update('d1', increment),
      (error: unknown) =>
        error instanceof ConcurrentUpdateError &&
        error.message === 'Batch d1 kept changing under us (3 attempts); giving up.',
    );
  });

  it('apply says which of two racing callers saved a once-only transition', async () => {
    const store = new OneDocStore();
    const updater = new VersionedUpdater(store, 'Doc');
    const once = (current: Doc): Doc | undefined =>
      current.count === 0 ? { ...current, count: 1 } : undefined;
    const results = await Promise.all([updater.apply('d1', once), updater.apply('d1', once)]);
    assert.deepEqual(results.map((r) => r.saved).sort(), [false, true]);
    for (const result of results) assert.deepEqual(result.document, store.doc);
    assert.equal(store.saves, 1);
  });
});
