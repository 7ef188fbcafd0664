// How Revoke reaches on-premises Active Directory. The composition root fills this from LDAP_URL,
// LDAP_BIND_DN, LDAP_BIND_PASSWORD, LDAP_BASE_DN, LDAP_CA_FILE and LDAP_STARTTLS.
import { DirectoryError } from '../../core/errors';

export interface LdapDirectoryConfig {
  /** `ldaps://host[:636]`, or `ldap://host[:389]` together with `startTls`. */
  url: string;
  /** The service account Revoke binds as; it needs no more than "Reset password" and write
   * access to userAccountControl on the users' OU (or membership of Account Operators). */
  bindDn: string;
  bindPassword: string;
  /** Where accounts are searched (subtree), e.g. `DC=contoso,DC=com`. */
  baseDn: string;
  /** PEM file of the CA(s) that issued the domain controllers' certificates. Without it the
   * system trust store is used. */
  caFile?: string;
  /** The name the DC certificate is checked against when it differs from the URL's host. */
  tlsServerName?: string;
  /** Upgrade an `ldap://` connection with StartTLS before binding. */
  startTls?: boolean;
  /** Limit for connecting and for each LDAP operation. Default 15 s. */
  timeoutMs?: number;
}

export const DEFAULT_LDAP_TIMEOUT_MS = 15_000;

/** How the connection is protected: password resets need one of the encrypted ones. */
export type LdapTransport = 'ldaps' | 'starttls' | 'plain';

export interface ResolvedLdapConfig extends LdapDirectoryConfig {
  transport: LdapTransport;
  host: string;
  timeoutMs: number;
}

export function resolveLdapConfig(config: LdapDirectoryConfig): ResolvedLdapConfig {
  let parsed: URL;
  try {
    parsed = new URL(config.url);
  } catch (cause) {
    throw misconfigured(`LDAP_URL "${config.url}" is not a URL`, cause);
  }
  const scheme = parsed.protocol.replace(/:$/, '');
  if (scheme !== 'ldap' && scheme !== 'ldaps') {
    throw misconfigured(`LDAP_URL must start with ldaps:// or ldap://, not "${scheme}://"`);
  }
  if (scheme === 'ldaps' && config.startTls) {
    throw misconfigured(
      'LDAP_STARTTLS applies to ldap:// URLs only; ldaps:// is already encrypted',
    );
  }
  for (const [name, value] of [
    ['LDAP_BIND_DN', config.bindDn],
    ['LDAP_BIND_PASSWORD', config.bindPassword],
    ['LDAP_BASE_DN', config.baseDn],
  ] as const) {
    if (!value) throw misconfigured(`${name} is empty`);
  }
  const timeoutMs = config.timeoutMs ?? DEFAULT_LDAP_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw misconfigured(`the LDAP timeout must be a positive number of milliseconds`);
  }
  const transport: LdapTransport =
    scheme === 'ldaps' ? 'ldaps' : config.startTls ? 'starttls' : 'plain';
  return { ...config, transport, host: parsed.hostname.replace(/^\[|\]$/g, ''), timeoutMs };
}

function misconfigured(message: string, cause?: unknown): DirectoryError {
  return new DirectoryError('misconfigured', message, { code: 'invalid_config', cause });
}
