// The queue behind "answer first": each request's work in the order it was queued, none of it
// before the current turn is over, errors logged, and `settled` waiting for all of it.
import { strict as assert } from 'node:assert';
import { AfterAnswer } from '../../src/teams/after-answer';
import { captureLogger } from '../support/capture-logger';

/** A promise the test resolves when it chooses. */
function gate(): { opened: Promise<void>; open(): void } {
  let open = () => undefined as void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

describe('AfterAnswer', () => {
  it('starts nothing during the current turn, then runs one request’s work in order', async () => {
    const logger = captureLogger();
    const queue = new AfterAnswer(logger);
    const happened: string[] = [];
    const first = gate();
    queue.queue('R-1', async () => {
      happened.push('first started');
      await first.opened;
      happened.push('first done');
    });
    queue.queue('R-1', async () => {
      happened.push('second');
    });
    // Still in the turn that queued them (only microtasks have run).
    await Promise.resolve();
    assert.deepEqual(happened, []);

    const settled = queue.settled();
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(happened, ['first started'], 'the second waits for the first');
    first.open();
    await settled;
    assert.deepEqual(happened, ['first started', 'first done', 'second']);
  });

  it('does not hold one request’s work behind another’s', async () => {
    const queue = new AfterAnswer(captureLogger());
    const blocked = gate();
    const happened: string[] = [];
    queue.queue('R-1', () => blocked.opened);
    const other = new Promise<void>((resolve) => {
      queue.queue('R-2', async () => {
        happened.push('R-2');
        resolve();
      });
    });
    await other;
    assert.deepEqual(happened, ['R-2']);
    blocked.open();
    await queue.settled();
  });

  it('logs a failure and goes on with the next work', async () => {
    const logger = captureLogger();
    const queue = new AfterAnswer(logger);
    const happened: string[] = [];
    queue.queue('R-1', () => Promise.reject(new Error('connector down')));
    queue.queue('R-1', async () => {
      happened.push('next');
    });
    await queue.settled();
    assert.deepEqual(happened, ['next']);
    const errors = logger.lines.filter((l) => l.level === 'error');
    assert.equal(errors.length, 1);
    assert.equal(errors[0]?.fields['requestId'], 'R-1');
    assert.match(String(errors[0]?.fields['message']), /connector down/);
  });
});
