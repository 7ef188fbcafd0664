// A mass revocation's writes through JSON $batch: up to 20 independent requests (account disables,
// session revocations, device disables, of different users) in one POST /$batch. No dependsOn:
// a user's own ordering (revoke sessions after the disable) is the engine's, which sends the next
// step only once the previous one answered, so a batch never holds two steps of one user that
// must wait for each other. Each sub-response is judged on its own, like the single call: a 429
// inside the 200 is that write's throttled error with its own Retry-After.
import { DirectoryError } from '../../core/errors';
import type { BatchedWrite } from '../../core/batch/write-batcher';
import { subOutcome, subResponsesById } from './batch-responses';
import { GRAPH_OPERATIONS, type GraphOperation } from './permissions';
import type { Redactor } from './redact';

interface SubRequest {
  id: string;
  method: 'PATCH' | 'POST';
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

const JSON_HEADERS = { 'Content-Type': 'application/json' };

export function operationOf(write: BatchedWrite): GraphOperation {
  return GRAPH_OPERATIONS[write.kind];
}

/** Sub-request URLs are relative to the version: `/users/{id}`, not `/v1.0/users/{id}`. */
export function writesBatch(writes: readonly BatchedWrite[]): { requests: SubRequest[] } {
  return {
    requests: writes.map((write, index) => {
      const id = String(index + 1);
      const key = encodeURIComponent(write.id);
      switch (write.kind) {
        case 'disableUser':
          return {
            id,
            method: 'PATCH',
            url: `/users/${key}`,
            headers: JSON_HEADERS,
            body: { accountEnabled: false },
          };
        case 'revokeSignInSessions':
          return {
            id,
            method: 'POST',
            url: `/users/${key}/revokeSignInSessions`,
            headers: JSON_HEADERS,
            body: {},
          };
        case 'disableDevice':
          return {
            id,
            method: 'PATCH',
            url: `/devices/${key}`,
            headers: JSON_HEADERS,
            body: { accountEnabled: false },
          };
      }
      throw new Error(`not a batchable write: ${String(write.kind)}`);
    }),
  };
}

/** Each write's outcome, in order: undefined when Graph did it, else the error it would have thrown. */
export function readWritesResponse(
  writes: readonly BatchedWrite[],
  response: unknown,
  redact: Redactor,
): (DirectoryError | undefined)[] {
  const byId = subResponsesById(response);
  return writes.map((write, index) => {
    const outcome = subOutcome(operationOf(write), byId.get(String(index + 1)), redact);
    if (!outcome.ok) return outcome.error;
    // As for the single call: only Graph's documented answer counts as a revocation.
    if (write.kind === 'revokeSignInSessions' && outcome.body['value'] !== true) {
      return new DirectoryError(
        'transient',
        'Graph answered revokeSignInSessions without value=true.',
        {
          code: 'InvalidResponse',
        },
      );
    }
    return undefined;
  });
}
