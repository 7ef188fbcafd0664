// Node's TLS verification error codes, in the words an administrator needs: the certificate is
// expired, carries another name, or was issued by a CA we do not trust.

export type TlsProblemKind = 'expired' | 'not yet valid' | 'wrong name' | 'untrusted' | 'other';

const KINDS: Record<string, TlsProblemKind> = {
  CERT_HAS_EXPIRED: 'expired',
  CERT_NOT_YET_VALID: 'not yet valid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'wrong name',
  HOSTNAME_MISMATCH: 'wrong name',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'untrusted',
  UNABLE_TO_GET_ISSUER_CERT: 'untrusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'untrusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'untrusted',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'untrusted',
  CERT_UNTRUSTED: 'untrusted',
  CERT_SIGNATURE_FAILURE: 'untrusted',
  CERT_REVOKED: 'untrusted',
};

export function tlsProblemKind(code: string | undefined): TlsProblemKind | undefined {
  if (code === undefined) return undefined;
  return KINDS[code] ?? (code.startsWith('ERR_TLS') || code.includes('CERT') ? 'other' : undefined);
}

export const TLS_FIX: Record<TlsProblemKind, string> = {
  expired:
    'Renew the domain controller certificate (or let auto-enrolment renew it) and restart the DC service that serves LDAPS.',
  'not yet valid':
    "Check the clocks: this host's or the DC's time is wrong, or the certificate was issued for a future date.",
  'wrong name':
    'Use a host name in LDAP_URL that the certificate carries (see its names above), or set LDAP_TLS_SERVERNAME to one of them.',
  untrusted:
    'Set LDAP_CA_FILE to the PEM file of the CA that issued the DC certificate (the root and any intermediate), or add that CA to the system trust store.',
  other: 'Check the DC certificate and LDAP_CA_FILE.',
};
