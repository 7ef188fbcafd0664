// Error bodies as Google's APIs send them: the Directory API's {error:{code,message,errors,status}}
// and the OAuth 2.0 token endpoint's {error,error_description} (RFC 6749 §5.2).

export interface GoogleErrorAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

export function apiError(
  status: number,
  reason: string,
  message: string,
  domain = 'global',
): GoogleErrorAnswer {
  return {
    status,
    body: {
      error: {
        code: status,
        message,
        errors: [{ message, domain, reason }],
        ...(STATUS_NAMES[status] ? { status: STATUS_NAMES[status] } : {}),
      },
    },
  };
}

/** The answers Google gives in the situations the stand-in models. */
export const GOOGLE_ERRORS = {
  unauthenticated: () =>
    apiError(
      401,
      'authError',
      'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
    ),
  insufficientScopes: () =>
    apiError(403, 'insufficientPermissions', 'Request had insufficient authentication scopes.'),
  notAdmin: () => apiError(403, 'forbidden', 'Not Authorized to access this resource/api'),
  notFound: (what: string) => apiError(404, 'notFound', `Resource Not Found: ${what}`),
  badRequest: (message = 'Bad Request') => apiError(400, 'badRequest', message),
  invalid: (message = 'Invalid Input') => apiError(400, 'invalid', message),
  rateLimited: () =>
    apiError(
      429,
      'rateLimitExceeded',
      "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user' of service 'admin.googleapis.com'.",
    ),
  userRateLimited: () =>
    apiError(403, 'userRateLimitExceeded', 'User Rate Limit Exceeded', 'usageLimits'),
  unavailable: () => apiError(503, 'backendError', 'The service is currently unavailable.'),
} as const;

export function tokenError(status: number, error: string, description: string): GoogleErrorAnswer {
  return { status, body: { error, error_description: description } };
}
