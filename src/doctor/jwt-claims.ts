// Reads the `roles` claim of an app-only access token. The signature is not checked: the token
// came straight from the credential over TLS and is only read to list what was consented. The
// token itself is never printed or logged.

export class UnreadableTokenError extends Error {
  constructor(cause?: unknown) {
    super('The access token is not a JWT that can be read.', { cause });
    this.name = 'UnreadableTokenError';
  }
}

export function rolesOfToken(token: string): string[] {
  const payload = token.split('.')[1];
  if (!payload) throw new UnreadableTokenError();
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch (cause) {
    throw new UnreadableTokenError(cause);
  }
  if (typeof claims !== 'object' || claims === null) throw new UnreadableTokenError();
  const roles = (claims as Record<string, unknown>)['roles'];
  return Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : [];
}
