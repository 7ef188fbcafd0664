// The audit-before-save hooks a click on a request and a click on a batch share: what the click
// records comes before its save, and a click that did not count says why in the trail.
import { strict as assert } from 'node:assert';
import { auditBeforeSaving } from '../../src/core/outcome-recording';
import { VersionedUpdater, type VersionedStore } from '../../src/core/versioned-updater';

interface Doc {
  id: string;
  version: number;
  count: number;
}

function oneDocStore(interfere: { once?: () => void }): VersionedStore<Doc> & { doc: Doc } {
  const store = {
    doc: { id: 'd1', version: 1, count: 0 } as Doc,
    async get(id: string) {
      return id === store.doc.id ? { ...store.doc } : undefined;
    },
    async compareAndSwap(next: Doc, expectedVersion: number) {
      const other = interfere.once;
      interfere.once = undefined;
      other?.();
      if (store.doc.version !== expectedVersion) return false;
      store.doc = { ...next };
      return true;
    },
  };
  return store;
}

const increment = (current: Doc): Doc => ({ ...current, count: current.count + 1 });

describe('auditBeforeSaving', () => {
  it('records before the save; a lost save is refused as concurrent_change and recorded again', async () => {
    const interfere: { once?: () => void } = {};
    const store = oneDocStore(interfere);
    interfere.once = () => {
      store.doc = { ...store.doc, version: 2, count: 5 };
    };
    const trail: string[] = [];
    const hooks = auditBeforeSaving<Doc>(
      async (next) => void trail.push(`record ${next.count} (stored ${store.doc.count})`),
      async (next, code) => void trail.push(`refused ${next.count} ${code}`),
    );
    const saved = await new VersionedUpdater(store, 'Doc').update('d1', increment, hooks);
    assert.equal(saved?.count, 6);
    assert.deepEqual(trail, [
      'record 1 (stored 0)',
      'refused 1 concurrent_change',
      'record 6 (stored 5)',
    ]);
  });

  it('a record that cannot be written is refused as audit_unavailable and nothing is saved', async () => {
    const store = oneDocStore({});
    const refused: string[] = [];
    const hooks = auditBeforeSaving<Doc>(
      async () => {
        throw new Error('audit store down');
      },
      async (_next, code) => void refused.push(code),
    );
    await assert.rejects(
      new VersionedUpdater(store, 'Doc').update('d1', increment, hooks),
      /audit store down/,
    );
    assert.deepEqual(refused, ['audit_unavailable']);
    assert.deepEqual(store.doc, { id: 'd1', version: 1, count: 0 });
  });
});
