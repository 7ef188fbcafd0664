// What both pagers share when a call fails: reading Retry-After, and telling a network fault worth
// another try from a TLS set-up that retrying will not fix. Messages name the pager and the host,
// never a URL's query, a routing key or a secret.
import { DirectoryError } from '../core/errors';

/** Certificate failures: a proxy or a wrong host, not a passing fault. */
const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Retry-After as milliseconds: seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(
  header: string | null | undefined,
  now = Date.now(),
): number | undefined {
  if (header === null || header === undefined || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1_000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The error code deepest in a chain of causes (fetch wraps the socket's error in `cause`). */
export function errorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * A request that got no HTTP answer. Timeouts and connection faults are transient; a certificate
 * that does not verify is misconfigured (retrying will not change it), with `advice`.
 */
export function unansweredError(
  pager: string,
  host: string,
  error: unknown,
  timedOut: boolean,
  tlsAdvice: string,
): DirectoryError {
  if (timedOut) {
    return new DirectoryError('transient', `${pager} (${host}) did not answer in time.`, {
      code: 'Timeout',
      cause: error,
    });
  }
  const code = errorCode(error) ?? 'Unreachable';
  if (TLS_CODES.has(code)) {
    return new DirectoryError(
      'misconfigured',
      `${pager} (${host}) presented a certificate that does not verify (${code}).`,
      { code, cause: error, advice: tlsAdvice },
    );
  }
  return new DirectoryError('transient', `${pager} (${host}) could not be reached (${code}).`, {
    code,
    cause: error,
  });
}
