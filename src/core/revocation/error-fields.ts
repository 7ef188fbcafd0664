// How an error is written down: into the step, into the audit trail, into the log.
import { describeError, DirectoryError } from '../errors';
import type { StepError } from '../model';
import type { AuditValue } from '../audit-event';

export function toStepError(error: unknown): StepError {
  if (error instanceof DirectoryError) {
    const message = error.advice ? `${error.message} ${error.advice}` : error.message;
    return { code: error.code ?? error.kind, message };
  }
  return { code: 'internal', message: describeError(error) };
}

/** Only codes and the directory's request id: an error message may quote what the caller sent. */
export function auditErrorFields(error: unknown): Record<string, AuditValue> {
  if (error instanceof DirectoryError) {
    return {
      errorKind: error.kind,
      errorCode: error.code ?? null,
      directoryRequestId: error.requestId ?? null,
    };
  }
  return { errorKind: 'internal', errorCode: null, directoryRequestId: null };
}

export function errorFields(error: unknown): Record<string, unknown> {
  if (error instanceof DirectoryError) {
    return {
      kind: error.kind,
      code: error.code,
      message: error.message,
      requestId: error.requestId,
    };
  }
  return { message: describeError(error) };
}
