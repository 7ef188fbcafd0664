// Reading a card click, which is untrusted input: only the exact shapes the cards send pass.
import { strict as assert } from 'node:assert';
import type { AdaptiveCardInvokeValue } from 'botbuilder';
import { readCardAction } from '../../src/teams/card-actions';

const REQUEST_ID = 'R-7K3Q9MXA';

function click(verb: string, data: unknown): AdaptiveCardInvokeValue {
  return {
    action: { type: 'Action.Execute', id: '', verb, data: data as Record<string, unknown> },
    authentication: { id: '', connectionName: '', token: '' },
    state: '',
  } as AdaptiveCardInvokeValue;
}

describe('readCardAction: taskDone', () => {
  it('accepts a tick with the request and the task it names', () => {
    assert.deepEqual(
      readCardAction(
        click('taskDone', { requestId: REQUEST_ID, cardVersion: 4, taskId: 'task-12' }),
      ),
      { verb: 'taskDone', requestId: REQUEST_ID, taskId: 'task-12' },
    );
  });

  it('keeps a sandbox actAs, lower-cased, for the bot to allow or refuse', () => {
    assert.deepEqual(
      readCardAction(
        click('taskDone', {
          requestId: REQUEST_ID,
          taskId: 'task-1',
          actAs: 'E6B02483-41ED-473E-83C5-C0DD8F6B5BD3',
        }),
      ),
      {
        verb: 'taskDone',
        requestId: REQUEST_ID,
        taskId: 'task-1',
        actAs: 'e6b02483-41ed-473e-83c5-c0dd8f6b5bd3',
      },
    );
  });

  for (const [name, taskId] of [
    ['missing', undefined],
    ['not a string', 1],
    ['empty', ''],
    ['not a task id', 'payroll'],
    ['with a path', 'task-1/../task-2'],
    ['too many digits', 'task-1000'],
    ['a prefix only', 'task-'],
    ['trailing text', 'task-1 '],
    ['oversized', `task-${'1'.repeat(5_000)}`],
  ] as const) {
    it(`refuses a tick whose taskId is ${name}`, () => {
      const read = readCardAction(click('taskDone', { requestId: REQUEST_ID, taskId }));
      assert.ok('error' in read, JSON.stringify(read));
    });
  }

  it('says why an oversized tick is refused, before reading any field of it', () => {
    const read = readCardAction(
      click('taskDone', { requestId: REQUEST_ID, taskId: 'task-1', padding: 'x'.repeat(3_000) }),
    );
    assert.deepEqual(read, { error: 'The action data is too large.' });
  });

  it('refuses a tick without a valid request id', () => {
    for (const requestId of [undefined, 'nope', 'R-7K3Q9MXA; drop']) {
      const read = readCardAction(click('taskDone', { requestId, taskId: 'task-1' }));
      assert.deepEqual(read, { error: 'The action names no valid request.' });
    }
  });

  it('refuses an actAs that is not an object id', () => {
    const read = readCardAction(
      click('taskDone', { requestId: REQUEST_ID, taskId: 'task-1', actAs: 'priya; admin' }),
    );
    assert.deepEqual(read, { error: 'The action names no valid person to act as.' });
  });

  it('ignores a taskId on other verbs', () => {
    assert.deepEqual(readCardAction(click('approve', { requestId: REQUEST_ID, taskId: 'x' })), {
      verb: 'approve',
      requestId: REQUEST_ID,
    });
  });
});
