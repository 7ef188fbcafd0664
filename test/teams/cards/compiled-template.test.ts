// The cards' own expander must give exactly what adaptivecards-templating gives for the same
// template and data (the same JSON, key order included), or leave the template to the library.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ACData from 'adaptivecards-templating';
import type { RevocationRequest, Step } from '../../../src/core/model';
import { projectRoot } from '../../../src/project-root';
import { compileTemplate } from '../../../src/teams/cards/compiled-template';
import { pruneCard } from '../../../src/teams/cards/prune-card';
import { buildRequestCardView } from '../../../src/teams/cards/request-view';
import type { RequestCardOptions } from '../../../src/teams/cards/request-view';
import { MARCUS, PRIYA, aRequest, theStandardSteps } from '../../support/builders';

const NOW = new Date('2025-03-01T09:05:00.000Z');

/** Ours and the library's, as expanded and as Teams gets them (pruned), in JSON. */
function both(
  payload: unknown,
  data: unknown,
): { ours: string; library: string; oursPruned: string; libraryPruned: string } {
  const compiled = compileTemplate(payload);
  assert.ok(compiled, 'the template is within what the expander knows');
  const library: unknown = new ACData.Template(payload).expand({ $root: data });
  return {
    ours: JSON.stringify(compiled.expand(data)),
    library: JSON.stringify(library),
    oursPruned: JSON.stringify(compiled.expandPruned(data)),
    libraryPruned: JSON.stringify(pruneCard(library)),
  };
}

function sameAsLibrary(payload: unknown, data: unknown): void {
  const { ours, library, oursPruned, libraryPruned } = both(payload, data);
  assert.equal(ours, library);
  // Pruned while it is built: the same card as pruning the library's expansion afterwards.
  assert.equal(oursPruned, libraryPruned);
}

const approvals = [
  { approver: { ...PRIYA }, at: '2025-03-01T09:02:00.000Z' },
  { approver: { ...MARCUS }, at: '2025-03-01T09:03:00.000Z' },
];

function steps(changes: Partial<Step>[]): Step[] {
  return theStandardSteps().map((step, i) => ({ ...step, ...changes[i] }));
}

const REQUESTS: Record<string, RevocationRequest> = {
  pending: aRequest(),
  partlyApproved: aRequest({ version: 2, approvals: approvals.slice(0, 1) }),
  rejected: aRequest({
    version: 2,
    status: 'rejected',
    rejection: { by: { ...MARCUS }, at: '2025-03-01T09:10:00.000Z' },
  }),
  expired: aRequest({ version: 2, status: 'expired' }),
  running: aRequest({
    version: 5,
    status: 'running',
    approvals,
    runStartedAt: '2025-03-01T09:03:01.000Z',
    steps: steps([
      { status: 'succeeded', attempts: 1, finishedAt: '2025-03-01T09:03:02.000Z' },
      { status: 'running', attempts: 1, startedAt: '2025-03-01T09:03:02.300Z' },
    ]),
  }),
  failed: aRequest({
    version: 9,
    status: 'completed_with_failures',
    approvals,
    steps: steps([
      { status: 'succeeded', attempts: 1 },
      {
        status: 'failed',
        attempts: 3,
        error: { code: 'permission', message: 'Insufficient privileges ${title}' },
      },
    ]),
    manualTasks: [
      { id: 'task-1', title: 'Payroll', doneBy: { ...PRIYA }, doneAt: '2025-03-01T09:12:00.000Z' },
      { id: 'task-2', title: 'VPN ${reason}' },
    ],
  }),
  completed: aRequest({
    version: 9,
    status: 'completed',
    approvals,
    steps: steps([{ status: 'succeeded' }, { status: 'succeeded' }, { status: 'succeeded' }]),
  }),
};

const OPTIONS: Record<string, Omit<RequestCardOptions, 'now'>> = {
  generic: { view: 'generic' },
  approver: { view: 'approver' },
  requester: { view: 'requester' },
  observer: { view: 'observer' },
  refreshed: {
    view: 'generic',
    refreshUserIds: ['29:a', '29:b'],
    sandboxActors: [
      { id: 'p1', name: 'Priya Patel', isApprover: true },
      { id: 'e1', name: 'Elena ${name}', isApprover: false },
    ],
  },
  preview: { view: 'observer', preview: true },
};

describe('the cards’ compiled templates', () => {
  const requestCard = JSON.parse(
    readFileSync(join(projectRoot(), 'cards', 'request.json'), 'utf8'),
  ) as unknown;
  const helpCard = JSON.parse(
    readFileSync(join(projectRoot(), 'cards', 'help.json'), 'utf8'),
  ) as unknown;

  for (const [state, request] of Object.entries(REQUESTS)) {
    for (const [name, options] of Object.entries(OPTIONS)) {
      it(`expands the request card (${state}, ${name}) exactly as the library does`, () => {
        sameAsLibrary(requestCard, buildRequestCardView(request, { now: NOW, ...options }));
      });
    }
  }

  it('expands the help card exactly as the library does', () => {
    sameAsLibrary(helpCard, {
      title: 'Help',
      sections: [
        { heading: 'One', entries: [{ runs: [{ text: 'a', fontType: 'Monospace' }], what: 'x' }] },
        { heading: 'Two', entries: [] },
      ],
    });
  });

  it('follows the library where data is missing, null, in other case, or not a boolean', () => {
    const template = {
      title: '${title}',
      nested: '${a.b}',
      list: [{ $data: '${items}', $when: '${show}', name: '${name}', kept: 'plain' }, 'tail'],
      single: { $data: '${one}', name: '${Name}' },
      many: { $data: '${two}', name: '${name}' },
      none: { $when: '${missing}', x: 1 },
      $schema: 'kept',
      $root: 'dropped',
      kelvin: '${key}',
      first: '${dup}',
    };
    for (const data of [
      {},
      {
        title: null,
        a: { B: 3 },
        items: [],
        one: { NAME: 'upper' },
        two: [{ name: 1 }, { name: 2 }],
      },
      {
        title: '${not.parsed}',
        a: 0,
        items: [{ name: 'x', show: true }, undefined, { name: 'y', show: 'true' }, { show: true }],
        show: true,
        one: null,
        two: 'text',
      },
      { a: { b: { deep: [1, 2] } }, items: { name: 'solo', show: true }, two: [undefined] },
      // A key that is another case of the path only by Unicode's rules, and two keys that differ
      // only in case: the library takes the first in key order.
      { '\u212aey': 'kelvin sign', Dup: 'first', dup: 'second' },
      { DUP: 1, Dup: 2, dup: 3, key: 'plain', '\u212aEY': 'later' },
    ]) {
      sameAsLibrary(template, data);
    }
  });

  it('prunes as it builds: nulls and empty `actions` at any depth, in data too; array items kept', () => {
    const template = {
      body: [{ $data: '${rows}', text: '${text}', actions: '${acts}', extra: '${extra}' }],
      actions: [{ $when: '${offer}', type: 'Action.Submit' }],
      refresh: { $when: '${refresh}', userIds: '${ids}' },
      data: '${payload}',
    };
    for (const data of [
      { rows: [], offer: false, refresh: false },
      {
        rows: [
          { text: 'a', acts: [], extra: null },
          { text: null, acts: [{ x: null }] },
        ],
        offer: true,
        refresh: true,
        ids: [null, 'b'],
        payload: {
          keep: 1,
          drop: null,
          actions: [],
          deep: { drop: null, list: [null, { n: null }] },
        },
      },
      { rows: [{ text: 'K\u212aey', extra: { actions: [] } }], payload: [null, []] },
    ]) {
      sameAsLibrary(template, data);
    }
  });

  it('leaves anything beyond plain paths to the library', () => {
    for (const template of [
      { text: 'Hello ${name}' },
      { text: '${if(a, b, c)}' },
      { text: '${$root.title}' },
      { text: '${true}' },
      { x: { $when: true, y: 1 } },
      { x: { $data: [1, 2], y: '${$index}' } },
    ]) {
      assert.equal(compileTemplate(template), undefined, JSON.stringify(template));
    }
  });
});
