// Translates what ldapts and Node report into DirectoryError, whose kind tells the engine whether
// to retry or to stop and show advice. Messages name the operation and the LDAP result; they
// never carry a password (none is ever passed in here).
import { ResultCodeError } from 'ldapts';
import { DirectoryError } from '../../core/errors';

export type LdapOperation =
  | 'connect'
  | 'starttls'
  | 'bind'
  | 'find account'
  | 'read account'
  | 'disable account'
  | 'enable account'
  | 'reset password';

export const DELEGATION_ADVICE =
  'Give the bind account (LDAP_BIND_DN) the "Reset password" right and write access to the ' +
  'userAccountControl attribute on the OU that holds the users (Active Directory Users and ' +
  'Computers > Delegate Control), or make it a member of Account Operators. Protected accounts ' +
  '(adminCount=1, e.g. Domain Admins) also need the rights on AdminSDHolder.';

export const BIND_ADVICE =
  'Check LDAP_BIND_DN and LDAP_BIND_PASSWORD. The service account may also be disabled, locked ' +
  'out, or have an expired password.';

export const ENCRYPTION_ADVICE = 'Use an ldaps:// URL, or an ldap:// URL with LDAP_STARTTLS=true.';

export const TLS_ADVICE =
  'Point LDAP_CA_FILE at the PEM file of the CA that issued the domain controller certificate, ' +
  "and make sure the certificate's name matches the host in LDAP_URL (or set the TLS server name).";

/** LDAP result codes (RFC 4511 §4.1.9) that decide the kind. */
const RESULT = {
  operationsError: 1,
  timeLimitExceeded: 3,
  sizeLimitExceeded: 4,
  strongerAuthRequired: 8,
  confidentialityRequired: 13,
  noSuchAttribute: 16,
  constraintViolation: 19,
  noSuchObject: 32,
  invalidDnSyntax: 34,
  invalidCredentials: 49,
  insufficientAccessRights: 50,
  busy: 51,
  unavailable: 52,
  unwillingToPerform: 53,
  other: 80,
} as const;

const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
]);

const TLS_TRUST_CODES = new Set([
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
]);

/** ldapts reports timeouts and dropped connections as plain Errors with these messages. */
const TRANSIENT_MESSAGES = [
  /Operation timed out/i,
  /Connection timeout/i,
  /Connection closed before message response/i,
  /Socket error/i,
  /Socket connection not established/i,
];

export function toDirectoryError(error: unknown, operation: LdapOperation): DirectoryError {
  if (error instanceof DirectoryError) return error;
  if (error instanceof ResultCodeError) return fromResultCode(error, operation);
  const systemCode = systemErrorCode(error);
  const detail = error instanceof Error ? error.message : String(error);
  if (systemCode && TLS_TRUST_CODES.has(systemCode)) {
    return new DirectoryError(
      'misconfigured',
      `LDAP ${operation}: TLS certificate not trusted (${systemCode})`,
      {
        code: systemCode,
        advice: TLS_ADVICE,
        cause: error,
      },
    );
  }
  if (systemCode === 'ENOTFOUND') {
    return new DirectoryError('misconfigured', `LDAP ${operation}: host not found (ENOTFOUND)`, {
      code: systemCode,
      advice: 'Check the host name in LDAP_URL.',
      cause: error,
    });
  }
  if (
    (systemCode && TRANSIENT_NETWORK_CODES.has(systemCode)) ||
    TRANSIENT_MESSAGES.some((pattern) => pattern.test(detail))
  ) {
    return new DirectoryError('transient', `LDAP ${operation} failed: ${detail}`, {
      code: systemCode ?? 'network',
      cause: error,
    });
  }
  return new DirectoryError('rejected', `LDAP ${operation} failed: ${detail}`, {
    code: systemCode ?? 'unknown',
    cause: error,
  });
}

function fromResultCode(error: ResultCodeError, operation: LdapOperation): DirectoryError {
  const code = error.name;
  const message = `LDAP ${operation} failed: ${error.name} (${error.code}): ${error.message}`;
  const details = { code, cause: error };
  switch (error.code) {
    case RESULT.busy:
      return new DirectoryError('throttled', message, details);
    case RESULT.unavailable:
    case RESULT.timeLimitExceeded:
    case RESULT.other:
      return new DirectoryError('transient', message, details);
    case RESULT.noSuchAttribute:
      // Our conditional write of userAccountControl lost a race with another writer: reading
      // again and retrying is right.
      return new DirectoryError('transient', message, details);
    case RESULT.insufficientAccessRights:
      return new DirectoryError('permission', message, { ...details, advice: DELEGATION_ADVICE });
    case RESULT.noSuchObject:
      return new DirectoryError('not_found', message, details);
    case RESULT.invalidCredentials:
      return operation === 'bind'
        ? new DirectoryError('misconfigured', message, { ...details, advice: bindAdvice(error) })
        : new DirectoryError('rejected', message, details);
    case RESULT.strongerAuthRequired:
    case RESULT.confidentialityRequired:
      return new DirectoryError('misconfigured', message, {
        ...details,
        advice: ENCRYPTION_ADVICE,
      });
    case RESULT.operationsError:
      // AD answers operationsError when a search runs without a successful bind.
      return operation === 'bind'
        ? new DirectoryError('misconfigured', message, { ...details, advice: BIND_ADVICE })
        : new DirectoryError('rejected', message, details);
    case RESULT.constraintViolation:
    case RESULT.unwillingToPerform:
    case RESULT.invalidDnSyntax:
    case RESULT.sizeLimitExceeded:
    default:
      return new DirectoryError('rejected', message, details);
  }
}

/** AD puts the reason for a failed bind in the diagnostic message ("data 533"). */
function bindAdvice(error: ResultCodeError): string {
  const reason = /data ([0-9a-f]{3})/i.exec(error.message)?.[1]?.toLowerCase();
  switch (reason) {
    case '533':
      return `The bind account is disabled. ${BIND_ADVICE}`;
    case '775':
      return `The bind account is locked out. ${BIND_ADVICE}`;
    case '532':
    case '773':
      return `The bind account's password has expired or must be changed. ${BIND_ADVICE}`;
    case '701':
      return `The bind account has expired. ${BIND_ADVICE}`;
    default:
      return BIND_ADVICE;
  }
}

function systemErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}
