// On-premises Active Directory over LDAP (ldapts).
export { LdapOnPremDirectory, type LdapOnPremDirectoryOptions } from './ldap-on-prem-directory';
export {
  DEFAULT_LDAP_TIMEOUT_MS,
  resolveLdapConfig,
  type LdapDirectoryConfig,
} from './ldap-directory-config';
export { BIND_ADVICE, DELEGATION_ADVICE, ENCRYPTION_ADVICE, toDirectoryError } from './ldap-errors';
export { generateRandomPassword } from './random-password';
