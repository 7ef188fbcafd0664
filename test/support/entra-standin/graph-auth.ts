// Graph's front door: a bearer token signed by the stand-in's Entra ID, for Graph, for this tenant,
// not expired. Anything else is 401 InvalidAuthenticationToken, as Graph answers.
import type { SigningKey } from './jwt';
import { verifyJwt } from './jwt';
import { graphAudiences, tokenIssuer } from './entra-routes';

export type Caller = { ok: true; appId: string; roles: string[] } | { ok: false; message: string };

export function authenticate(
  authorization: string | undefined,
  key: SigningKey,
  origin: string,
  tenantId: string,
): Caller {
  const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!m?.[1]) return { ok: false, message: 'Access token is empty.' };
  const check = verifyJwt(
    m[1],
    (h) => (h['kid'] === key.kid ? key.publicKey : undefined),
    Math.floor(Date.now() / 1000),
  );
  if (!check.ok) return { ok: false, message: check.reason };
  const { aud, iss, tid, roles, appid } = check.claims;
  if (typeof aud !== 'string' || !graphAudiences(origin).includes(aud)) {
    return { ok: false, message: 'Access token validation failure. Invalid audience.' };
  }
  if (iss !== tokenIssuer(tenantId) || tid !== tenantId) {
    return { ok: false, message: 'Access token validation failure. Invalid issuer.' };
  }
  return {
    ok: true,
    appId: typeof appid === 'string' ? appid : '',
    roles: Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : [],
  };
}
