// The parts /readyz checks, built from the adapters the app already has, so a probe sees exactly
// what a revocation would: the same store, the same token credential (and its token cache), the
// same LDAP settings.
import type { TokenCredential } from '@azure/identity';
import type { RequestStore } from '../core/ports';
import { fromCredentialError } from '../directory/graph/credential-errors';
import { makeRedactor } from '../directory/graph/redact';
import type { LdapDirectoryConfig } from '../directory/ldap';
import { resolveLdapConfig } from '../directory/ldap';
import { createLdapClient, withLdapSession } from '../directory/ldap/ldap-session';
import { DIRECTORY_CACHE_MS, type ReadinessPart } from './readiness';

/** An id no request can have: reading it touches the database without finding anything. */
const PROBE_ID = 'readiness-probe';

export function storePart(store: RequestStore): ReadinessPart {
  return { name: 'store', cacheMs: 0, check: async () => void (await store.get(PROBE_ID)) };
}

export function entraPart(
  credential: TokenCredential,
  scope: string,
  secrets: readonly (string | undefined)[],
): ReadinessPart {
  const redact = makeRedactor(secrets);
  return {
    name: 'entra',
    cacheMs: DIRECTORY_CACHE_MS,
    async check() {
      try {
        const token = await credential.getToken(scope);
        if (!token) throw new Error('the credential returned no token');
      } catch (error) {
        throw fromCredentialError(error, redact);
      }
    },
  };
}

/** Connect, encrypt, bind, unbind: what every AD step does first. */
export function ldapPart(config: LdapDirectoryConfig): ReadinessPart {
  return {
    name: 'ldap',
    cacheMs: DIRECTORY_CACHE_MS,
    check: () =>
      withLdapSession(resolveLdapConfig(config), createLdapClient, () => Promise.resolve()),
  };
}
