import { strict as assert } from 'node:assert';
import { clockLines } from '../../../src/teams/cards/clock-lines';
import { renderRequestCard } from '../../../src/teams/cards/render-request-card';
import { aRequest } from '../../support/builders';
import { cardText } from '../../support/card-text';

const T0 = '2025-03-01T03:00:00.000Z';
const now = new Date('2025-03-01T03:42:00.000Z');

describe('the card clock', () => {
  const request = aRequest({
    createdAt: T0,
    expiresAt: '2025-03-01T04:00:00.000Z',
    outreach: {
      personalCards: {
        dueAt: T0,
        doneAt: '2025-03-01T03:00:02.000Z',
        reached: [{ id: 'p', name: 'Priya Patel' }],
        unreachable: [{ person: { id: 'j', name: 'Jordan Lee' }, why: 'the app is not installed' }],
      },
      reminder: {
        dueAt: '2025-03-01T03:10:00.000Z',
        doneAt: '2025-03-01T03:10:01.000Z',
        reached: [{ id: 'm', name: 'Marcus Chen' }],
      },
      escalation: { dueAt: '2025-03-01T03:50:00.000Z', groupId: 'g' },
      pages: [{ via: 'PagerDuty', key: 'k', attempts: 0, triggeredAt: '2025-03-01T03:00:03.000Z' }],
    },
  });

  it('shows how long the request has waited and who was reached, reminded and paged, when', () => {
    const texts = clockLines(request, now).map((l) => l.text);
    assert.deepEqual(texts, [
      'Waiting for 42 min',
      'Card sent in a personal chat to Priya Patel at 03:00 UTC',
      'Not reachable in a personal chat: Jordan Lee (the app is not installed)',
      'Reminded (Marcus Chen) at 03:10 UTC',
      'Escalation due at 03:50 UTC',
      'Paged on-call via PagerDuty at 03:00 UTC',
    ]);
  });

  it('is on the rendered card', () => {
    const text = cardText(renderRequestCard(request, { now }));
    assert.match(text, /Waiting for 42 min/);
    assert.match(text, /Paged on-call via PagerDuty at 03:00 UTC/);
    assert.match(text, /Not reachable in a personal chat: Jordan Lee/);
  });

  it('says when it was escalated and resolved, and no longer counts once decided', () => {
    const decided = aRequest({
      ...request,
      status: 'rejected',
      rejection: { by: { id: 'e', name: 'Elena Garcia' }, at: '2025-03-01T03:30:00.000Z' },
      outreach: {
        escalation: {
          dueAt: '2025-03-01T03:20:00.000Z',
          doneAt: '2025-03-01T03:20:01.000Z',
          groupId: 'g',
          reached: [{ id: 'e', name: 'Elena Garcia' }],
        },
        pages: [
          {
            via: 'PagerDuty',
            key: 'k',
            attempts: 0,
            triggeredAt: '2025-03-01T03:00:03.000Z',
            resolvedAt: '2025-03-01T03:30:01.000Z',
          },
        ],
      },
    });
    const texts = clockLines(decided, now).map((l) => l.text);
    assert.deepEqual(texts, [
      'Decided after 30 min',
      'Escalated to the escalation group (Elena Garcia) at 03:20 UTC — they may approve or reject',
      'Paged on-call via PagerDuty at 03:00 UTC, resolved at 03:30 UTC',
    ]);
  });
});
