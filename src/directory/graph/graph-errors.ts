// Translates what Graph (or the network under it) reported into a DirectoryError whose kind is
// all withRetry and the engine need. Never retries: that is withRetry's job.
import { GraphClientError, GraphError } from '@microsoft/microsoft-graph-client';
import { DirectoryError } from '../../core/errors';
import { fromCredentialError } from './credential-errors';
import { permissionAdvice, type GraphOperation } from './permissions';
import type { Redactor } from './redact';

export interface GraphFailure {
  status: number;
  code?: string;
  message?: string;
  requestId?: string;
  retryAfterMs?: number;
  cause?: unknown;
}

/** Retry-After is seconds or an HTTP date; either becomes milliseconds from now. */
export function parseRetryAfter(
  value: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value.trim());
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

const MAX_DETAIL = 300;

export function fromGraphStatus(
  op: GraphOperation,
  failure: GraphFailure,
  redact: Redactor,
): DirectoryError {
  const { status, code, requestId, retryAfterMs, cause } = failure;
  const detail = redact((failure.message ?? '').slice(0, MAX_DETAIL));
  const label = `${status}${code ? ` ${code}` : ''}`;
  const text = `Microsoft Graph refused to ${op.action} (${label})${detail ? `: ${detail}` : ''}`;
  const details = { code: code ?? String(status), requestId, cause };
  if (status === 429) {
    return new DirectoryError(
      'throttled',
      `Microsoft Graph throttled the request to ${op.action} (${label}).`,
      {
        ...details,
        retryAfterMs,
      },
    );
  }
  if (status === 408 || status >= 500) {
    return new DirectoryError(
      'transient',
      `Microsoft Graph failed to ${op.action} (${label})${detail ? `: ${detail}` : ''}`,
      {
        ...details,
        retryAfterMs,
      },
    );
  }
  if (status === 403) {
    return new DirectoryError('permission', text, { ...details, advice: permissionAdvice(op) });
  }
  if (status === 401) {
    return new DirectoryError('misconfigured', text, {
      ...details,
      advice:
        'Microsoft Graph did not accept the access token: check AZURE_TENANT_ID, AZURE_AUTHORITY_HOST and GRAPH_BASE_URL point at the same cloud and tenant.',
    });
  }
  if (status === 404) return new DirectoryError('not_found', text, details);
  return new DirectoryError('rejected', text, details);
}

function header(headers: Headers | undefined, name: string): string | undefined {
  try {
    return headers?.get(name) ?? undefined;
  } catch {
    return undefined;
  }
}

export function toDirectoryError(
  error: unknown,
  op: GraphOperation,
  redact: Redactor,
): DirectoryError {
  if (error instanceof DirectoryError) return error;
  if (error instanceof GraphClientError && error.customError !== undefined) {
    return fromCredentialError(error.customError, redact);
  }
  if (error instanceof GraphError) {
    if (error.statusCode > 0) {
      return fromGraphStatus(
        op,
        {
          status: error.statusCode,
          code: error.code ?? undefined,
          message: error.message,
          requestId: error.requestId ?? header(error.headers, 'request-id'),
          retryAfterMs: parseRetryAfter(header(error.headers, 'retry-after')),
          cause: error,
        },
        redact,
      );
    }
    // No HTTP status: the request never got an answer (timeout, reset, DNS, TLS).
    const reason =
      error.code === 'TimeoutError' || error.code === 'AbortError'
        ? 'timed out'
        : 'failed on the network';
    return new DirectoryError(
      'transient',
      redact(`The call to ${op.action} ${reason}: ${error.message}`),
      {
        code: error.code ?? 'network',
        cause: error,
      },
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new DirectoryError('transient', redact(`The call to ${op.action} failed: ${message}`), {
    cause: error,
  });
}
