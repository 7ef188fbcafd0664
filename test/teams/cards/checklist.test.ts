// The manual checklist section of the request card: in which states it shows, who ticked what and
// when, and where its "Done" buttons are offered.
import { strict as assert } from 'node:assert';
import type { RequestStatus, RevocationRequest } from '../../../src/core/model';
import { renderRequestCard } from '../../../src/teams/cards/render-request-card';
import type { AdaptiveCardJson } from '../../../src/teams/cards/render-request-card';
import type { RequestCardAudience } from '../../../src/teams/cards/request-view';
import { MARCUS, PRIYA, aRequest } from '../../support/builders';
import {
  adaptiveCardsProblems,
  allTexts,
  elementsOfType,
  richLines,
  type ExecuteAction,
} from './card-checks';

const NOW = new Date('2025-03-01T09:30:00.000Z');
const VIEWS: readonly RequestCardAudience[] = ['generic', 'approver', 'requester', 'observer'];
const HEADING = 'Manual checklist';

const approvals = [
  { approver: { ...PRIYA }, at: '2025-03-01T09:02:00.000Z' },
  { approver: { ...MARCUS }, at: '2025-03-01T09:03:00.000Z' },
];

function withTasks(status: RequestStatus, doneFirst = true): RevocationRequest {
  return aRequest({
    version: 7,
    status,
    approvals: status === 'pending' || status === 'expired' ? [] : approvals,
    manualTasks: [
      {
        id: 'task-1',
        title: 'Remove from payroll system',
        ...(doneFirst ? { doneBy: { ...PRIYA }, doneAt: '2025-03-01T09:12:00.000Z' } : {}),
      },
      { id: 'task-2', title: 'Revoke VPN certificate' },
    ],
  });
}

function render(request: RevocationRequest, view: RequestCardAudience): AdaptiveCardJson {
  return renderRequestCard(request, { now: NOW, view });
}

/** The "Done" buttons: the Action.Execute inside the body's ActionSets. */
function doneButtons(card: AdaptiveCardJson): ExecuteAction[] {
  return elementsOfType(card, 'ActionSet')
    .flatMap((set) => set.actions as ExecuteAction[])
    .filter((action) => action.verb === 'taskDone');
}

describe('the request card: manual checklist', () => {
  const shown: RequestStatus[] = ['running', 'completed', 'completed_with_failures'];
  const hidden: RequestStatus[] = ['pending', 'rejected', 'expired'];

  for (const status of [...shown, ...hidden]) {
    for (const view of VIEWS) {
      it(`parses with the Adaptive Cards SDK (${status}, ${view})`, () => {
        const card = render(withTasks(status), view);
        assert.deepEqual(adaptiveCardsProblems(card), []);
        assert.ok(!JSON.stringify(card).includes('${'));
      });
    }
  }

  for (const status of shown) {
    it(`shows the checklist once approved, with who ticked what and when (${status})`, () => {
      const texts = allTexts(render(withTasks(status), 'observer'));
      assert.ok(texts.includes(`${HEADING}: 1 of 2 done`), texts.join('\n'));
      assert.ok(
        texts.includes('✓ Remove from payroll system — done by Priya Patel at 09:12 UTC'),
        texts.join('\n'),
      );
      assert.ok(texts.includes('○ Revoke VPN certificate'));
    });
  }

  for (const status of hidden) {
    it(`leaves the checklist out before approval or when nothing was revoked (${status})`, () => {
      for (const view of VIEWS) {
        const card = render(withTasks(status), view);
        assert.ok(!allTexts(card).some((t) => t.startsWith(HEADING)));
        assert.deepEqual(doneButtons(card), []);
      }
    });
  }

  it('offers "Done" on open tasks only, to approvers and the channel card, bound to its task', () => {
    for (const view of ['generic', 'approver'] as const) {
      const buttons = doneButtons(render(withTasks('running'), view));
      assert.deepEqual(
        buttons.map((b) => [b.type, b.title, b.data]),
        [
          [
            'Action.Execute',
            'Done',
            { requestId: 'REQ-20250301-0001', cardVersion: 7, taskId: 'task-2' },
          ],
        ],
        view,
      );
    }
  });

  it('offers no "Done" button to observers or the requester', () => {
    for (const view of ['observer', 'requester'] as const) {
      assert.deepEqual(doneButtons(render(withTasks('completed', false), view)), [], view);
    }
  });

  it('offers no button once every task is done', () => {
    const request = withTasks('completed');
    const all: RevocationRequest = {
      ...request,
      manualTasks: (request.manualTasks ?? []).map((task) => ({
        ...task,
        doneBy: { ...MARCUS },
        doneAt: '2025-03-01T09:20:00.000Z',
      })),
    };
    for (const view of VIEWS) {
      const card = render(all, view);
      assert.deepEqual(doneButtons(card), [], view);
      assert.ok(allTexts(card).includes(`${HEADING}: 2 of 2 done`));
    }
  });

  it('has no checklist section when the request has no tasks', () => {
    const card = render(aRequest({ status: 'completed', approvals }), 'approver');
    assert.ok(!allTexts(card).some((t) => t.startsWith(HEADING)));
    assert.deepEqual(doneButtons(card), []);
  });

  it('puts task titles and names in TextRuns, which Teams never reads as Markdown', () => {
    const request = withTasks('running');
    request.manualTasks = [
      {
        id: 'task-1',
        title: '**Revoke** [VPN](https://evil.example)',
        doneBy: { ...PRIYA, name: '[Priya](https://evil.example)' },
        doneAt: '2025-03-01T09:12:00.000Z',
      },
    ];
    const card = render(request, 'approver');
    const markdown = elementsOfType(card, 'TextBlock').map((b) => String(b.text));
    assert.ok(!markdown.some((t) => t.includes('evil.example')), markdown.join('\n'));
    assert.ok(
      richLines(card).includes(
        '✓ **Revoke** [VPN](https://evil.example) — done by [Priya](https://evil.example) at 09:12 UTC',
      ),
    );
  });
});
