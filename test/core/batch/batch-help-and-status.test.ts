// `help` names `users …`, and `status` takes a batch id as well as a request id.
import { strict as assert } from 'node:assert';
import { RequestRefused } from '../../../src/core/errors';
import { parseCommand, USAGE } from '../../../src/core/commands/parse-command';
import { BATCH_USAGE, parseBatchCommand } from '../../../src/core/batch/parse-batch-command';

describe('help and status for batches', () => {
  it('lists the `users` command in the general help', () => {
    assert.ok(USAGE.includes(BATCH_USAGE));
    assert.match(USAGE, /`status <batch-id>`/);
  });

  it('reads `status B-…` as a batch, in any case, and `status R-…` as a request', () => {
    assert.deepEqual(parseCommand('status b-7k3q9mxa'), {
      kind: 'batchStatus',
      batchId: 'B-7K3Q9MXA',
    });
    assert.deepEqual(parseCommand('status R-7K3Q9MXA'), {
      kind: 'status',
      requestId: 'R-7K3Q9MXA',
    });
  });

  it('refuses what is neither, with the usage that now names batches', () => {
    for (const text of ['status B-123', 'status B-7K3Q9MXU', 'status X-7K3Q9MXA']) {
      assert.throws(
        () => parseCommand(text),
        (error: unknown) =>
          error instanceof RequestRefused && /is not a request id/.test(error.message),
        text,
      );
    }
  });

  it('still refuses a bad `users` command with its own usage', () => {
    assert.throws(
      () => parseBatchCommand('users Phishing wave'),
      (error: unknown) => error instanceof RequestRefused && error.message.endsWith(BATCH_USAGE),
    );
  });
});
