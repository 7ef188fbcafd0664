import { strict as assert } from 'node:assert';
import type { RevocationRequest, Step } from '../../../src/core/model';
import { renderRequestCard } from '../../../src/teams/cards/render-request-card';
import type { AdaptiveCardJson } from '../../../src/teams/cards/render-request-card';
import { MARCUS, PRIYA, aRequest, aStep, theStandardSteps } from '../../support/builders';
import {
  actions,
  adaptiveCardsProblems,
  allTexts,
  elementsOfType,
  facts,
  richLines,
} from './card-checks';

// The standard request is created at 09:00 and expires at 10:00 UTC.
const NOW = new Date('2025-03-01T09:05:00.000Z');
// The heading of the "what may still work" section; its lines are tested in residual-access.
const RESIDUAL = 'What may still work';

function stepsWith(statuses: Partial<Step>[]): Step[] {
  return theStandardSteps().map((step, i) => ({ ...step, ...statuses[i] }));
}

const done = (start: string, end: string): Partial<Step> => ({
  status: 'succeeded',
  attempts: 1,
  startedAt: start,
  finishedAt: end,
});

const approvedByBoth = [
  { approver: { ...PRIYA }, at: '2025-03-01T09:02:00.000Z' },
  { approver: { ...MARCUS }, at: '2025-03-01T09:03:00.000Z' },
];

const SAMPLES: Record<string, RevocationRequest> = {
  pending: aRequest({ version: 1 }),
  partlyApproved: aRequest({
    version: 2,
    approvals: [{ approver: { ...PRIYA }, at: '2025-03-01T09:04:00.000Z' }],
  }),
  rejected: aRequest({
    version: 2,
    status: 'rejected',
    rejection: { by: { ...MARCUS }, at: '2025-03-01T09:10:00.000Z' },
  }),
  expired: aRequest({ version: 2, status: 'expired' }),
  running: aRequest({
    version: 5,
    status: 'running',
    approvals: approvedByBoth,
    runStartedAt: '2025-03-01T09:03:01.000Z',
    steps: stepsWith([
      done('2025-03-01T09:03:01.000Z', '2025-03-01T09:03:02.200Z'),
      { status: 'running', attempts: 1, startedAt: '2025-03-01T09:03:02.300Z' },
      {
        status: 'retrying',
        attempts: 2,
        startedAt: '2025-03-01T09:03:01.000Z',
        error: { code: 'throttled', message: 'Graph throttled the request (429)' },
      },
      {},
      {},
    ]),
  }),
  completed: aRequest({
    version: 9,
    status: 'completed',
    approvals: approvedByBoth,
    runStartedAt: '2025-03-01T09:03:01.000Z',
    finishedAt: '2025-03-01T09:03:13.000Z',
    steps: stepsWith([
      done('2025-03-01T09:03:01.000Z', '2025-03-01T09:03:02.200Z'),
      done('2025-03-01T09:03:02.300Z', '2025-03-01T09:03:04.000Z'),
      { ...done('2025-03-01T09:03:01.000Z', '2025-03-01T09:03:06.000Z'), attempts: 3 },
      done('2025-03-01T09:03:06.000Z', '2025-03-01T09:03:07.000Z'),
      done('2025-03-01T09:03:06.000Z', '2025-03-01T09:03:13.000Z'),
    ]),
  }),
  completedWithFailures: aRequest({
    version: 9,
    status: 'completed_with_failures',
    approvals: approvedByBoth,
    runStartedAt: '2025-03-01T09:03:01.000Z',
    finishedAt: '2025-03-01T09:04:01.000Z',
    steps: stepsWith([
      done('2025-03-01T09:03:01.000Z', '2025-03-01T09:03:02.200Z'),
      {
        status: 'failed',
        attempts: 4,
        startedAt: '2025-03-01T09:03:02.300Z',
        finishedAt: '2025-03-01T09:03:32.300Z',
        error: { code: 'ldap.unwilling', message: 'The domain controller refused the reset' },
      },
      done('2025-03-01T09:03:01.000Z', '2025-03-01T09:03:02.000Z'),
      done('2025-03-01T09:03:02.000Z', '2025-03-01T09:03:03.000Z'),
      done('2025-03-01T09:03:02.000Z', '2025-03-01T09:03:03.000Z'),
    ]),
  }),
};

function render(
  name: keyof typeof SAMPLES,
  view?: Parameters<typeof renderRequestCard>[1]['view'],
) {
  const request = SAMPLES[name];
  assert.ok(request);
  return renderRequestCard(request, { now: NOW, view });
}

function has(card: AdaptiveCardJson, expected: string): void {
  const texts = allTexts(card);
  assert.ok(
    texts.some((t) => t.includes(expected)),
    `expected "${expected}" in:\n  ${texts.join('\n  ')}`,
  );
}

function hasNot(card: AdaptiveCardJson, unexpected: string): void {
  assert.ok(!allTexts(card).some((t) => t.includes(unexpected)), `unexpected "${unexpected}"`);
}

function badge(card: AdaptiveCardJson): { text: string; color: string } {
  const columnSet = elementsOfType(card, 'ColumnSet')[0];
  assert.ok(columnSet);
  const first = (columnSet.columns as { items: { text: string; color: string }[] }[])[0];
  const block = first?.items[0];
  assert.ok(block);
  return { text: block.text, color: block.color };
}

describe('renderRequestCard', () => {
  describe('in every state', () => {
    for (const name of Object.keys(SAMPLES)) {
      for (const view of ['generic', 'approver', 'requester', 'observer'] as const) {
        it(`renders a well-formed Adaptive Card 1.5 (${name}, ${view})`, () => {
          const card = render(name, view);
          const json = JSON.stringify(card);
          assert.deepEqual(JSON.parse(json), card);
          assert.equal(card.type, 'AdaptiveCard');
          assert.equal(card.version, '1.5');
          assert.equal(card.$schema, 'http://adaptivecards.io/schemas/adaptive-card.json');
          assert.deepEqual(adaptiveCardsProblems(card), []);
          // Every binding resolved: the sample data contains no "${".
          assert.ok(!json.includes('${'), json);
          assert.equal(card.refresh, undefined);
        });
      }
    }

    it('shows the target, the reason, the request id and the status command', () => {
      const card = render('pending');
      assert.deepEqual(facts(card), {
        Name: 'Alice Johnson',
        UPN: 'alice.johnson@contoso.com',
        Title: 'Financial Analyst',
        Department: 'Finance',
        'Synced from on-prem AD': 'yes',
        'Registered devices': '1',
        Profile: 'termination',
      });
      has(card, 'Revoke access: Alice Johnson');
      has(card, 'Laptop reported stolen; credentials possibly compromised');
      has(card, 'Request REQ-20250301-0001 · `@Revoke status REQ-20250301-0001`');
      has(card, 'Requested by Sam Rivera at 2025-03-01 09:00 UTC');
    });

    it('leaves out the title and department when the directory has none', () => {
      const request = aRequest({
        target: { ...aRequest().target, jobTitle: undefined, department: undefined },
      });
      request.target.onPremisesSynced = false;
      const card = renderRequestCard(request, { now: NOW });
      assert.deepEqual(Object.keys(facts(card)), [
        'Name',
        'UPN',
        'Synced from on-prem AD',
        'Registered devices',
        'Profile',
      ]);
      assert.equal(facts(card)['Synced from on-prem AD'], 'no');
    });

    it('renders the same card twice from the same state', () => {
      assert.deepEqual(render('running'), render('running'));
    });
  });

  describe('pending', () => {
    it('asks everyone in the channel to approve or reject', () => {
      const card = render('pending');
      assert.deepEqual(badge(card), { text: 'Pending approval', color: 'warning' });
      has(card, 'Approvals: 0 of 2');
      has(card, 'Expires at 10:00 UTC (in 55 min)');
      has(card, '○ waiting Disable the Active Directory account');
      has(card, 'Plan: 5 steps, run after approval');
      assert.deepEqual(actions(card), [
        {
          type: 'Action.Execute',
          title: 'Approve',
          verb: 'approve',
          style: 'positive',
          data: { requestId: 'REQ-20250301-0001', cardVersion: 1 },
        },
        {
          type: 'Action.Execute',
          title: 'Reject',
          verb: 'reject',
          style: 'destructive',
          data: { requestId: 'REQ-20250301-0001', cardVersion: 1 },
        },
      ]);
      hasNot(card, RESIDUAL);
    });

    it('lists who approved and when, with the current card version in the buttons', () => {
      const card = render('partlyApproved');
      has(card, 'Approvals: 1 of 2 — Priya Patel (09:04 UTC)');
      assert.deepEqual(
        actions(card).map((a) => [a.verb, a.data]),
        [
          ['approve', { requestId: 'REQ-20250301-0001', cardVersion: 2 }],
          ['reject', { requestId: 'REQ-20250301-0001', cardVersion: 2 }],
        ],
      );
    });

    it('shows the approver view the buttons too', () => {
      assert.equal(actions(render('pending', 'approver')).length, 2);
    });

    it('shows the requester no buttons, only who is still needed', () => {
      const card = render('pending', 'requester');
      assert.deepEqual(actions(card), []);
      assert.equal(card.actions, undefined);
      has(card, 'Waiting for 2 approvers');
      has(render('partlyApproved', 'requester'), 'Waiting for 1 more approver');
    });

    it('shows an observer no buttons', () => {
      const card = render('partlyApproved', 'observer');
      assert.deepEqual(actions(card), []);
      has(card, 'Waiting for 1 more approver');
    });

    it('says when the expiry is due but not yet recorded', () => {
      const card = renderRequestCard(SAMPLES.pending as RevocationRequest, {
        now: new Date('2025-03-01T10:00:30.000Z'),
      });
      has(card, 'Expires at 10:00 UTC (due now)');
    });

    it('puts the date on times from another day', () => {
      const card = renderRequestCard(SAMPLES.partlyApproved as RevocationRequest, {
        now: new Date('2025-03-02T00:10:00.000Z'),
      });
      has(card, 'Approvals: 1 of 2 — Priya Patel (2025-03-01 09:04 UTC)');
    });

    it('shows the caveats of the plan', () => {
      const request = aRequest({
        planNotes: ['On-premises AD is not configured: AD steps are skipped'],
      });
      has(
        renderRequestCard(request, { now: NOW }),
        '⚠ On-premises AD is not configured: AD steps are skipped',
      );
    });
  });

  describe('rejected', () => {
    it('says who rejected it, that nothing changed, and offers nothing', () => {
      const card = render('rejected');
      assert.equal(badge(card).text, 'Rejected');
      has(card, 'Rejected by Marcus Chen at 09:10 UTC');
      has(card, 'Nothing was changed: the request was rejected.');
      has(card, 'Plan: 5 steps, not run');
      has(card, '– not run Disable the Entra ID account');
      assert.equal(card.actions, undefined);
      hasNot(card, RESIDUAL);
    });
  });

  describe('expired', () => {
    it('says when it expired and offers nothing', () => {
      const card = render('expired');
      assert.equal(badge(card).text, 'Expired');
      has(card, 'Expired at 10:00 UTC');
      has(card, 'Nothing was changed: the request expired before it had 2 approvals.');
      hasNot(card, 'Expires at');
      assert.equal(card.actions, undefined);
    });
  });

  describe('running', () => {
    it('shows each step with its state, in order', () => {
      const card = render('running');
      assert.equal(badge(card).text, 'Running');
      assert.equal(badge(card).color, 'accent');
      has(card, 'Approvals: 2 of 2 — Priya Patel (09:02 UTC), Marcus Chen (09:03 UTC)');
      has(card, 'Plan: 1 of 5 steps done');
      const steps = richLines(card).filter((l) => /^[○▶↻✓✗–…]/u.test(l));
      assert.deepEqual(steps, [
        '✓ done 1.2 s Disable the Active Directory account',
        '▶ running Reset the Active Directory password twice',
        '↻ retrying (attempt 2) Disable the Entra ID account — last error: Graph throttled the request (429)',
        '○ waiting Revoke sign-in sessions',
        '○ waiting Disable device ALICE-LAPTOP',
      ]);
      assert.equal(card.actions, undefined);
      hasNot(card, RESIDUAL);
    });

    it('colours the step states', () => {
      const statusRuns = elementsOfType(render('running'), 'RichTextBlock')
        .map((b) => (b.inlines as { text: string; color?: string }[])[0])
        .filter((run) => run?.color !== undefined && /^[○▶↻✓✗]/u.test(run.text));
      assert.deepEqual(
        statusRuns.map((r) => r?.color),
        ['good', 'accent', 'warning', 'default', 'default'],
      );
    });
  });

  describe('completed', () => {
    it('summarises, warns about residual access and offers nothing', () => {
      const card = render('completed');
      assert.deepEqual(badge(card), { text: 'Completed', color: 'good' });
      has(card, 'All 5 steps succeeded in 12 s: access revoked.');
      has(card, '✓ done 5.0 s Disable the Entra ID account — after 3 attempts');
      has(card, 'Finished at 09:03 UTC');
      has(card, RESIDUAL);
      assert.equal(card.actions, undefined);
    });
  });

  describe('completed with failures', () => {
    it('names what failed and why, and offers a retry of the failed steps', () => {
      const card = render('completedWithFailures');
      assert.deepEqual(badge(card), { text: 'Completed with failures', color: 'attention' });
      has(
        card,
        '✗ failed Reset the Active Directory password twice — The domain controller refused the reset (4 attempts, 30 s)',
      );
      has(card, '4 of 5 steps succeeded. Failed: Reset the Active Directory password twice.');
      has(card, RESIDUAL);
      assert.deepEqual(actions(card), [
        {
          type: 'Action.Execute',
          title: 'Retry failed steps',
          verb: 'retry',
          style: 'default',
          data: { requestId: 'REQ-20250301-0001', cardVersion: 9 },
        },
      ]);
    });

    it('does not offer a retry to an observer', () => {
      const card = render('completedWithFailures', 'observer');
      assert.equal(card.actions, undefined);
      hasNot(card, 'Retry failed steps');
    });
  });

  describe('many devices', () => {
    function withDevices(count: number, status: (i: number) => Step['status']): RevocationRequest {
      const devices = Array.from({ length: count }, (_, i) =>
        aStep({
          id: `entra.disableDevice:${i}`,
          kind: 'entra.disableDevice',
          title: 'Disable device',
          subject: { id: `dev-${i}`, name: `PC-${String(i).padStart(2, '0')}` },
          status: status(i),
          attempts: status(i) === 'pending' ? 0 : 1,
          error: status(i) === 'failed' ? { code: 'x', message: 'Device not found' } : undefined,
        }),
      );
      return aRequest({
        status: 'running',
        version: 7,
        steps: [...theStandardSteps().slice(0, 4), ...devices],
        target: { ...aRequest().target, deviceCount: count },
      });
    }

    it('folds finished and waiting devices beyond ten into one line, keeping failures visible', () => {
      const request = withDevices(30, (i) =>
        i === 25 ? 'failed' : i < 20 ? 'succeeded' : 'pending',
      );
      const card = renderRequestCard(request, { now: NOW });
      const lines = richLines(card);
      const deviceLines = lines.filter((l) => l.includes('Disable device'));
      assert.equal(deviceLines.length, 11);
      assert.ok(deviceLines[0]?.includes('Disable device (PC-00)'));
      assert.ok(deviceLines[9]?.includes('Disable device (PC-09)'));
      assert.ok(deviceLines[10]?.startsWith('✗ failed Disable device (PC-25) — Device not found'));
      has(card, '… and 19 more devices: 10 done, 9 waiting');
      assert.equal(facts(card)['Registered devices'], '30');
      assert.deepEqual(adaptiveCardsProblems(card), []);
      assert.ok(Buffer.byteLength(JSON.stringify(card)) < 28_000);
    });

    it('lists every device when there are ten or fewer', () => {
      const card = renderRequestCard(
        withDevices(10, () => 'pending'),
        { now: NOW },
      );
      assert.equal(richLines(card).filter((l) => l.includes('Disable device')).length, 10);
      hasNot(card, 'more device');
    });
  });

  describe('refresh', () => {
    it('adds a refresh block only when refresh users are given', () => {
      const request = SAMPLES.pending as RevocationRequest;
      const card = renderRequestCard(request, { now: NOW, refreshUserIds: ['29:a', '29:b'] });
      assert.deepEqual(card.refresh, {
        action: {
          type: 'Action.Execute',
          verb: 'refresh',
          data: { requestId: 'REQ-20250301-0001' },
        },
        userIds: ['29:a', '29:b'],
      });
      assert.deepEqual(renderRequestCard(request, { now: NOW, refreshUserIds: [] }).refresh, {
        action: {
          type: 'Action.Execute',
          verb: 'refresh',
          data: { requestId: 'REQ-20250301-0001' },
        },
        userIds: [],
      });
      assert.deepEqual(adaptiveCardsProblems(card), []);
    });
  });
});
