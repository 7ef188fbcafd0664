// Reads the `roles` claim of an app-only access token. The signature is not checked: the token
// came straight from the credential over TLS and is only read to list what was consented. The
// token itself is never printed or logged. `jose` is an ES module: this CommonJS build loads it
// with import(), hence async.

export class UnreadableTokenError extends Error {
  constructor(cause?: unknown) {
    super('The access token is not a JWT that can be read.', { cause });
    this.name = 'UnreadableTokenError';
  }
}

export async function rolesOfToken(token: string): Promise<string[]> {
  const { decodeJwt } = await import('jose');
  let claims: Record<string, unknown>;
  try {
    claims = decodeJwt(token);
  } catch (cause) {
    throw new UnreadableTokenError(cause);
  }
  const roles = claims['roles'];
  return Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : [];
}
