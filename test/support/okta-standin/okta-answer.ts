// Answers as Okta's Management API writes them: the error body every endpoint shares
// ({errorCode, errorSummary, errorLink, errorId, errorCauses}) and the OAuth error body of the
// org authorization server ({error, error_description}, RFC 6749 §5.2).
import { randomBytes } from 'node:crypto';

export interface OktaAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export function oktaError(
  status: number,
  errorCode: string,
  errorSummary: string,
  causes: string[] = [],
  headers?: Record<string, string>,
): OktaAnswer {
  return {
    status,
    body: {
      errorCode,
      errorSummary,
      errorLink: errorCode,
      errorId: `oae${randomBytes(11).toString('base64url')}`,
      errorCauses: causes.map((errorSummary) => ({ errorSummary })),
    },
    ...(headers ? { headers } : {}),
  };
}

export function oauthError(status: number, error: string, description: string): OktaAnswer {
  return { status, body: { error, error_description: description } };
}

/** The codes this stand-in answers with, as Okta's error code reference names them. */
export const E = {
  validation: 'E0000001', // Api validation failed
  notFound: 'E0000007', // Not found: Resource not found
  forbidden: 'E0000006', // You do not have permission to perform the requested action
  internal: 'E0000009', // Internal Server Error
  invalidToken: 'E0000011', // Invalid token provided
  unsupportedMethod: 'E0000022', // The endpoint does not support the provided HTTP method
  invalidSearch: 'E0000031', // Invalid search criteria
  rateLimit: 'E0000047', // API call exceeded rate limit due to too many requests
} as const;
