import { strict as assert } from 'node:assert';
import {
  CLAIM_TTL_MS,
  claimItem,
  dueItems,
  escalatedTo,
  finishPage,
  finishTask,
  nextOutreachAt,
  startOutreach,
} from '../../../src/core/outreach/outreach-state';
import type { RevocationRequest } from '../../../src/core/model';
import { aRequest } from '../../support/builders';

const T0 = new Date('2025-03-01T03:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const GROUP = '51709574-85a8-492a-8da0-4050700d7937';

function fresh(overrides: Partial<RevocationRequest> = {}): RevocationRequest {
  const request = aRequest({ createdAt: T0.toISOString(), ...overrides });
  const outreach = startOutreach(
    request,
    {
      personalCards: true,
      reminderMinutes: 10,
      escalation: { minutes: 20, groupId: GROUP },
      pagers: ['PagerDuty'],
    },
    T0,
  );
  return { ...request, outreach };
}

describe('outreach state', () => {
  it('schedules the personal cards and the page at once, the reminder and escalation later', () => {
    const request = fresh();
    assert.deepEqual(dueItems(request, T0), [
      { kind: 'personalCards' },
      { kind: 'page', via: 'PagerDuty', action: 'trigger' },
    ]);
    assert.deepEqual(
      dueItems(request, at(10)).map((i) => i.kind),
      ['personalCards', 'reminder', 'page'],
    );
    assert.deepEqual(
      dueItems(request, at(20)).map((i) => i.kind),
      ['personalCards', 'reminder', 'escalation', 'page'],
    );
    assert.equal(nextOutreachAt(request), T0.toISOString());
  });

  it('pages only for a revocation, not for a restore or a wipe', () => {
    assert.equal(fresh({ kind: 'restore' }).outreach?.pages, undefined);
    assert.equal(fresh({ kind: 'wipe' }).outreach?.pages, undefined);
  });

  it('is claimed once; a lapsed claim can be taken over', () => {
    const request = fresh();
    const claimed = claimItem(request, { kind: 'reminder' }, at(10));
    assert.ok(claimed);
    assert.equal(claimItem(claimed, { kind: 'reminder' }, at(11)), undefined);
    assert.ok(claimItem(claimed, { kind: 'reminder' }, new Date(at(10).getTime() + CLAIM_TTL_MS)));
    const done = finishTask(
      claimed,
      'reminder',
      { reached: [{ id: 'p', name: 'P' }], unreachable: [] },
      at(10),
    );
    assert.equal(done.outreach?.reminder?.claimedAt, undefined);
    assert.equal(claimItem(done, { kind: 'reminder' }, at(30)), undefined);
  });

  it('stops reaching approvers once the request is decided, but still resolves a triggered page', () => {
    const triggered = finishPage(fresh(), 'PagerDuty', 'trigger', { ok: true }, T0);
    assert.equal(nextOutreachAt({ ...triggered, status: 'pending' }), T0.toISOString());
    const rejected: RevocationRequest = { ...triggered, status: 'rejected' };
    assert.deepEqual(dueItems(rejected, at(30)), [
      { kind: 'page', via: 'PagerDuty', action: 'resolve' },
    ]);
    const resolved = finishPage(rejected, 'PagerDuty', 'resolve', { ok: true }, at(1));
    assert.equal(nextOutreachAt(resolved), null);
    // A page never triggered is not resolved: nobody was woken.
    assert.equal(nextOutreachAt({ ...fresh(), status: 'running' }), null);
  });

  it('waits for retryAt after a retryable failure and stops after a refusal', () => {
    const retry = finishPage(fresh(), 'PagerDuty', 'trigger', { ok: false, retryAt: at(2) }, T0);
    assert.equal(retry.outreach?.pages?.[0]?.attempts, 1);
    assert.deepEqual(
      dueItems(retry, at(1)).map((i) => i.kind),
      ['personalCards'],
    );
    assert.equal(dueItems(retry, at(2)).at(-1)?.kind, 'page');
    const failed = finishPage(
      retry,
      'PagerDuty',
      'trigger',
      { ok: false, failed: 'invalid key' },
      at(2),
    );
    assert.equal(
      dueItems(failed, at(60)).some((i) => i.kind === 'page'),
      false,
    );
  });

  it('counts a request as escalated from the moment the escalation is claimed', () => {
    const request = fresh();
    assert.equal(escalatedTo(request), undefined);
    const claimed = claimItem(request, { kind: 'escalation' }, at(20));
    assert.ok(claimed);
    assert.equal(escalatedTo(claimed), GROUP);
  });
});
