// User text (the reason) and directory text (names, titles, step errors) must reach the reader
// as typed: not evaluated by the templating engine, not turned into links or formatting by Teams.
import { strict as assert } from 'node:assert';
import { renderRequestCard } from '../../../src/teams/cards/render-request-card';
import { aRequest, aStep } from '../../support/builders';
import {
  actions,
  adaptiveCardsProblems,
  elementsOfType,
  facts,
  markdownTexts,
  richLines,
} from './card-checks';

const NOW = new Date('2025-03-01T09:05:00.000Z');
const HOSTILE = '${requester.name} [click](https://evil.example) **bold**';
const WJ = '\u2060';

/** Markdown link or autolink syntax that a renderer would turn into a live link. */
function hasLiveLink(text: string): boolean {
  return /\]\s*\(/.test(text) || /<https?:/i.test(text) || /\]\s*\[/.test(text);
}

describe('request card with hostile text', () => {
  it('shows the reason literally, in a run Teams does not read as Markdown', () => {
    const card = renderRequestCard(aRequest({ reason: HOSTILE }), { now: NOW });
    const runs = elementsOfType(card, 'TextRun').filter((r) => r.text === HOSTILE);
    assert.equal(runs.length, 1, 'the reason is one TextRun with exactly the text typed');
    assert.ok(!JSON.stringify(card).includes('Sam Rivera [click]'), 'the binding was evaluated');
    assert.ok(!markdownTexts(card).some((t) => t.includes('evil.example')));
    assert.deepEqual(adaptiveCardsProblems(card), []);
  });

  it('does not let user text reach the template’s own bindings', () => {
    const reason = '${$root.title} ${actions} ${status.text} @{x} ${json(requester)}';
    const card = renderRequestCard(aRequest({ reason, status: 'rejected' }), { now: NOW });
    assert.ok(elementsOfType(card, 'TextRun').some((r) => r.text === reason));
    assert.equal(card.actions, undefined, 'a rejected card has no buttons, whatever the text');
  });

  it('neutralises links, formatting and line breaks in directory text shown as Markdown', () => {
    const target = {
      ...aRequest().target,
      displayName: 'Alice [verify here](https://evil.example)\n\n- Approved by the CISO',
      jobTitle: '**Chief** <https://evil.example> [a][b]',
      department: '1. ${requester.name}',
    };
    const card = renderRequestCard(aRequest({ target }), { now: NOW });
    for (const text of markdownTexts(card)) {
      assert.ok(!hasLiveLink(text), `live link in ${JSON.stringify(text)}`);
      assert.ok(!text.includes('\n'), `line break in ${JSON.stringify(text)}`);
      assert.ok(!text.includes('**'), `bold in ${JSON.stringify(text)}`);
    }
    const shown = facts(card);
    // The reader sees the same characters, minus invisible word joiners.
    assert.equal(
      shown.Name?.split(WJ).join(''),
      'Alice [verify here](https://evil.example) - Approved by the CISO',
    );
    assert.equal(shown.Department?.split(WJ).join(''), '1. ${requester.name}');
    assert.ok(shown.Department?.startsWith(WJ), 'a leading "1." would start a list');
    assert.deepEqual(adaptiveCardsProblems(card), []);
  });

  it('keeps a UPN exactly as it is, so it can be copied', () => {
    const target = { ...aRequest().target, userPrincipalName: 'first_last_2@contoso.com' };
    const card = renderRequestCard(aRequest({ target }), { now: NOW });
    assert.equal(facts(card).UPN, 'first_last_2@contoso.com');
  });

  it('shows hostile names of people and devices and step errors literally', () => {
    const request = aRequest({
      status: 'completed_with_failures',
      requester: { id: 'r', name: '[Sam](https://evil.example) ${reason}' },
      approvals: [{ approver: { id: 'a', name: '**Dana**' }, at: '2025-03-01T09:04:00.000Z' }],
      steps: [
        aStep({
          id: 'dev',
          kind: 'entra.disableDevice',
          title: 'Disable device',
          subject: { id: 'd', name: '[PC](https://evil.example)' },
          status: 'failed',
          attempts: 1,
          error: { code: 'x', message: 'see [docs](https://evil.example) ${reason}' },
        }),
      ],
    });
    const card = renderRequestCard(request, { now: NOW });
    const lines = richLines(card);
    assert.ok(
      lines.includes('Requested by [Sam](https://evil.example) ${reason} at 2025-03-01 09:00 UTC'),
    );
    assert.ok(lines.some((l) => l.startsWith('Approvals: 1 of 2 — **Dana** (09:04 UTC)')));
    assert.ok(
      lines.includes(
        '✗ failed Disable device ([PC](https://evil.example)) — see [docs](https://evil.example) ${reason}',
      ),
    );
    // All of that is in TextRuns; nothing from it reaches Markdown-rendered text.
    assert.ok(!markdownTexts(card).some((t) => t.includes('evil.example')));
    assert.deepEqual(
      actions(card).map((a) => a.verb),
      ['retry'],
    );
    assert.deepEqual(adaptiveCardsProblems(card), []);
  });

  it('bounds a very long reason so the card stays under Teams’ size limit', () => {
    const card = renderRequestCard(aRequest({ reason: 'x'.repeat(50_000) }), { now: NOW });
    assert.ok(Buffer.byteLength(JSON.stringify(card)) < 28_000);
    assert.ok(elementsOfType(card, 'TextRun').some((r) => String(r.text).endsWith('x…')));
  });
});

describe('the Adaptive Cards check itself', () => {
  it('reports what Teams would reject', () => {
    const problems = adaptiveCardsProblems({
      type: 'AdaptiveCard',
      version: '1.5',
      body: [{ type: 'TextBlock', text: 'x', color: 'red' }, { type: 'NoSuchElement' }],
    });
    assert.equal(problems.length, 2, problems.join('\n'));
  });
});
