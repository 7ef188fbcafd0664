import { nextOutreachAt } from '../../src/core/outreach/outreach-state';
import type { RevocationRequest } from '../../src/core/model';
import type { RequestStore } from '../../src/core/ports';

/**
 * An in-memory RequestStore with the same compare-and-swap contract as the real ones, for tests
 * of the core that must run without I/O. Documents are copied in and out, as a database would.
 * `beforeWrite` lets a test interleave another writer between a read and a write.
 */
export class MemoryRequestStore implements RequestStore {
  private readonly documents = new Map<string, RevocationRequest>();
  beforeWrite: (() => Promise<void>) | undefined;
  writes = 0;

  async create(request: RevocationRequest): Promise<void> {
    if (this.documents.has(request.id)) throw new Error(`Request ${request.id} already exists`);
    this.documents.set(request.id, structuredClone(request));
  }

  async get(id: string): Promise<RevocationRequest | undefined> {
    await Promise.resolve();
    const found = this.documents.get(id);
    return found ? structuredClone(found) : undefined;
  }

  async compareAndSwap(next: RevocationRequest, expectedVersion: number): Promise<boolean> {
    if (this.beforeWrite) await this.beforeWrite();
    const current = this.documents.get(next.id);
    if (!current || current.version !== expectedVersion) return false;
    if (next.version !== expectedVersion + 1) throw new Error('version must grow by one');
    this.writes++;
    this.documents.set(next.id, structuredClone(next));
    return true;
  }

  async listByStatus(statuses: RevocationRequest['status'][]): Promise<RevocationRequest[]> {
    return [...this.documents.values()]
      .filter((r) => statuses.includes(r.status))
      .map((r) => structuredClone(r));
  }

  async listDriftChecksDue(now: string): Promise<RevocationRequest[]> {
    const at = Date.parse(now);
    return [...this.documents.values()]
      .filter(
        (r) => r.driftCheck && !r.driftCheck.checkedAt && Date.parse(r.driftCheck.dueAt) <= at,
      )
      .map((r) => structuredClone(r));
  }

  async listOutreachDue(now: string): Promise<RevocationRequest[]> {
    const at = Date.parse(now);
    return [...this.documents.values()]
      .filter((r) => {
        const due = nextOutreachAt(r);
        return due !== null && Date.parse(due) <= at;
      })
      .map((r) => structuredClone(r));
  }

  async close(): Promise<void> {}
}
