// Card updates and thread messages for requests and batches: a failure is logged, never thrown.
import { strict as assert } from 'node:assert';
import { bestEffort } from '../../src/core/best-effort';
import { captureLogger } from '../support/capture-logger';

describe('bestEffort', () => {
  it('says it was done, and logs nothing', async () => {
    const logger = captureLogger();
    assert.equal(await bestEffort(logger, 'card update', async () => 'posted'), true);
    assert.deepEqual(logger.lines, []);
  });

  it('swallows a failure and logs what failed, for which document, and why', async () => {
    const logger = captureLogger();
    const done = await bestEffort(
      logger,
      'batch thread message',
      async () => {
        throw new Error('connector said 502');
      },
      { batchId: 'b1' },
    );
    assert.equal(done, false);
    assert.deepEqual(logger.lines, [
      {
        level: 'warn',
        message: 'batch thread message failed',
        fields: { batchId: 'b1', error: 'connector said 502' },
      },
    ]);
  });
});
