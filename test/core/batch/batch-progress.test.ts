// A batch's numbers say only what its children's steps verified: a user whose steps all succeeded
// but some could not be read back is fully revoked, and counted among those not all verified.
import { strict as assert } from 'node:assert';
import { batchProgress } from '../../../src/core/batch/batch-progress';
import { batchFinishedMessage } from '../../../src/core/batch/batch-messages';
import type { BatchRequest } from '../../../src/core/batch/batch-model';
import type { RevocationRequest } from '../../../src/core/model';
import { aRequest, aStep } from '../../support/builders';

function finished(id: string, verifications: ('verified' | 'unverifiable')[]): RevocationRequest {
  return aRequest({
    id,
    status: 'completed',
    steps: verifications.map((state, n) =>
      aStep({
        id: `step-${n}`,
        status: 'succeeded',
        verification:
          state === 'verified'
            ? { state }
            : { state, why: 'Graph gives no read-back for this call' },
      }),
    ),
  });
}

describe('batch progress', () => {
  it('counts a fully revoked user with an unverifiable step as not all verified', () => {
    const progress = batchProgress([
      finished('R-AAAAAAAA', ['verified', 'verified']),
      finished('R-BBBBBBBB', ['verified', 'unverifiable']),
    ]);
    assert.equal(progress.fully, 2);
    assert.equal(progress.fullyButNotAllVerified, 1);
    assert.deepEqual(
      progress.children.map((c) => c.unverifiedSteps),
      [0, 1],
    );
    const batch = { id: 'B-CCCCCCCC' } as BatchRequest;
    assert.match(
      batchFinishedMessage(batch, progress),
      /For 1 of them some steps were accepted but could not be read back/,
    );
  });

  it('says nothing of verification when every step was read back, or predates the record', () => {
    const old = aRequest({ status: 'completed', steps: [aStep({ status: 'succeeded' })] });
    const progress = batchProgress([finished('R-AAAAAAAA', ['verified']), old]);
    assert.equal(progress.fullyButNotAllVerified, 0);
    assert.doesNotMatch(batchFinishedMessage({ id: 'B-1' } as BatchRequest, progress), /read back/);
  });
});
