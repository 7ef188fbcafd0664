// A click whose caller answers first (the Teams edge): the decision is audited and saved before
// the result comes back, and what follows it (the thread's card, the thread message, the run's
// start) waits in `afterwards` until the caller runs it, in that order, whatever fails on the way.
import { strict as assert } from 'node:assert';
import sinon from 'sinon';
import { serviceHarness, type ServiceHarness } from '../support/service-harness';
import type { RevocationRequest } from '../../src/core/model';

describe('a card action answered first', () => {
  let h: ServiceHarness;
  let request: RevocationRequest;
  /** What happened after the decision, in order. */
  let happened: string[];

  beforeEach(async () => {
    h = await serviceHarness();
    request = await h.ask('bob.smith@contoso.com', 'Token theft');
    happened = [];
    const updateCard = h.notifier.updateCard.bind(h.notifier);
    sinon.stub(h.notifier, 'updateCard').callsFake(async (current) => {
      happened.push(`card ${current.status}`);
      await updateCard(current);
    });
    const postMilestone = h.notifier.postMilestone.bind(h.notifier);
    sinon.stub(h.notifier, 'postMilestone').callsFake(async (current, text) => {
      happened.push(`message ${text.split(' ')[0] ?? ''}`);
      await postMilestone(current, text);
    });
    // The run itself is not what these tests are about: only that it is started, and when.
    sinon.stub(h.engine, 'run').callsFake(async (id) => {
      happened.push(`run ${id}`);
    });
  });

  afterEach(() => sinon.restore());

  const priya = () => h.person('priya.patel@contoso.com');
  const marcus = () => h.person('marcus.chen@contoso.com');

  it('returns the final approval audited and saved, before its card update, message and run', async () => {
    await h.service.handleCardAction('approve', request.id, priya());
    happened = [];
    const result = await h.service.handleCardAction('approve', request.id, marcus(), {
      answerFirst: true,
    });
    assert.equal(result.accepted, true);
    assert.equal(result.request.status, 'running');
    assert.equal((await h.store.get(request.id))?.status, 'running', 'saved');
    assert.equal(h.audit.ofType('request.approved').length, 1, 'audited');
    assert.deepEqual(happened, [], 'nothing else has happened yet');
    assert.ok(result.afterwards, 'the rest is handed back');

    await result.afterwards();
    assert.deepEqual(happened, ['card running', 'message Approved', `run ${request.id}`]);
  });

  it('hands back a first approval’s card update and a rejection’s card and message the same way', async () => {
    const first = await h.service.handleCardAction('approve', request.id, priya(), {
      answerFirst: true,
    });
    assert.match(first.message, /1 more approver/);
    assert.deepEqual(happened, []);
    await first.afterwards?.();
    assert.deepEqual(happened, ['card pending']);

    happened = [];
    const rejected = await h.service.handleCardAction('reject', request.id, marcus(), {
      answerFirst: true,
    });
    assert.equal((await h.store.get(request.id))?.status, 'rejected');
    assert.deepEqual(happened, []);
    await rejected.afterwards?.();
    assert.deepEqual(happened, ['card rejected', 'message Request']);
  });

  it('still sends the message and starts the run when the card update fails, and never rejects', async () => {
    await h.service.handleCardAction('approve', request.id, priya());
    h.notifier.failUpdates = true;
    happened = [];
    const result = await h.service.handleCardAction('approve', request.id, marcus(), {
      answerFirst: true,
    });
    await result.afterwards?.();
    assert.deepEqual(happened, ['card running', 'message Approved', `run ${request.id}`]);
  });

  it('hands nothing back for a refused click, nor without answerFirst, where it is done before returning', async () => {
    const refused = await h.service.handleCardAction(
      'approve',
      request.id,
      h.person('sam.rivera@contoso.com'),
      { answerFirst: true },
    );
    assert.equal(refused.accepted, false);
    assert.equal(refused.afterwards, undefined);

    await h.service.handleCardAction('approve', request.id, priya());
    happened = [];
    const result = await h.service.handleCardAction('approve', request.id, marcus());
    assert.equal(result.afterwards, undefined);
    assert.deepEqual(happened, ['card running', 'message Approved', `run ${request.id}`]);
  });
});
