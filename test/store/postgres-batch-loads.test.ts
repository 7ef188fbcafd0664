// The running batches' loads read from PostgreSQL without their members (the batch ETA reads them
// at every card refresh): the load and the member count, running batches only.
import assert from 'node:assert/strict';
import type { BatchRequest } from '../../src/core/batch/batch-model';
import { measureLoad } from '../../src/core/batch/batch-load';
import { openStore, PostgresRequestStore } from '../../src/store';
import { sharedPostgres } from '../support/postgres';

function aBatch(id: string, status: BatchRequest['status'], members: number): BatchRequest {
  return {
    id,
    version: 1,
    status,
    reason: 'phishing wave',
    requester: { id: 'req', name: 'Requester' },
    createdAt: '2026-12-04T12:00:00.000Z',
    expiresAt: '2026-12-04T13:00:00.000Z',
    requiredApprovals: 2,
    approvals: [],
    members: Array.from({ length: members }, (_, i) => ({
      requestId: `R-0000000${i}`,
      targetId: `t-${i}`,
      userPrincipalName: `u${i}@contoso.com`,
      displayName: `User ${i}`,
      deviceCount: 1,
    })),
    skipped: [],
    malformed: [],
    card: { conversationReference: '{}' },
    retries: 0,
  };
}

describe('PostgreSQL batch store: running loads', function () {
  this.timeout(60_000);
  let store: PostgresRequestStore | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it("lists each running batch's load and member count, not its members", async () => {
    const opened = await openStore(await (await sharedPostgres()).createDatabase());
    assert.ok(opened instanceof PostgresRequestStore);
    store = opened;
    const load = { ...measureLoad([], new Date('2026-12-04T12:01:00.000Z')), runner: 'I-A' };
    const measured = { ...aBatch('B-AAAAAAAA', 'running', 3), load };
    await store.batches.createBatch(measured);
    await store.batches.createBatch(aBatch('B-BBBBBBBB', 'running', 2));
    await store.batches.createBatch(aBatch('B-CCCCCCCC', 'pending', 4));
    assert.deepEqual(await store.batches.listRunningLoads(), [
      { id: 'B-AAAAAAAA', members: 3, load },
      { id: 'B-BBBBBBBB', members: 2 },
    ]);
  });
});
