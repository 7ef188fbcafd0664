// The sandbox's "act as" section: only when the caller passes sandbox people (app.ts does so in
// sandbox mode only), only while the request is pending, never offering the target.
import { strict as assert } from 'node:assert';
import { renderRequestCard } from '../../../src/teams/cards/render-request-card';
import { aRequest } from '../../support/builders';

const NOW = new Date('2025-03-01T10:05:00Z');

describe('the sandbox "act as" section of the request card', () => {
  const request = aRequest();
  const actors = [
    { id: 'p-1', name: 'Priya Patel', isApprover: true },
    { id: request.requester.id, name: request.requester.name, isApprover: false },
    { id: request.target.id, name: request.target.displayName, isApprover: false },
  ];

  it('is absent unless sandbox people are given', () => {
    const card = JSON.stringify(renderRequestCard(request, { now: NOW }));
    assert.ok(!card.includes('Action.ShowCard'));
    assert.ok(!card.includes('actAs'));
  });

  it('offers approve and reject as each person, labelled with their role, but not as the target', () => {
    const card = JSON.stringify(renderRequestCard(request, { now: NOW, sandboxActors: actors }));
    assert.match(card, /Sandbox: act as/);
    assert.match(card, /Priya Patel \(approver\)/);
    assert.match(card, /\(requester\)/);
    assert.match(card, /"actAs":"p-1"/);
    assert.ok(!card.includes(`"actAs":"${request.target.id}"`));
  });

  it('is gone once the request is no longer pending', () => {
    const done = aRequest({ status: 'completed' });
    const card = JSON.stringify(renderRequestCard(done, { now: NOW, sandboxActors: actors }));
    assert.ok(!card.includes('Sandbox: act as'));
  });
});
