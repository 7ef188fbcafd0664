// How Revoke reaches Microsoft Entra ID and Microsoft Graph. The composition root fills this from
// AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH,
// AZURE_USE_MANAGED_IDENTITY, AZURE_AUTHORITY_HOST and GRAPH_BASE_URL (src/config.ts GraphConfig
// fits this shape as it is).

export const PUBLIC_AUTHORITY_HOST = 'https://login.microsoftonline.com';
export const PUBLIC_GRAPH_BASE_URL = 'https://graph.microsoft.com';

export interface GraphDirectoryConfig {
  tenantId: string;
  /** App registration client id; with managedIdentity, selects a user-assigned identity. */
  clientId?: string;
  clientSecret?: string;
  /** PEM file holding the certificate and its private key. */
  certificatePath?: string;
  /** Use the managed identity of the host instead of an app secret or certificate. */
  managedIdentity?: boolean;
  /** Default: the public cloud, https://login.microsoftonline.com. */
  authorityHost?: string;
  /** Graph origin, default https://graph.microsoft.com (a trailing /v1.0 is tolerated). */
  graphBaseUrl?: string;
  /** Per-call timeout; a call that takes longer fails as transient. Default 30 s. */
  timeoutMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

/** Authority hosts MSAL knows; any other host needs instance discovery turned off. */
const MICROSOFT_AUTHORITY_HOSTS = new Set([
  'login.microsoftonline.com',
  'login.microsoftonline.us',
  'login.chinacloudapi.cn',
  'login.partner.microsoftonline.cn',
  'login.microsoftonline.de',
]);

export function isMicrosoftAuthority(authorityHost: string): boolean {
  return MICROSOFT_AUTHORITY_HOSTS.has(new URL(authorityHost).hostname.toLowerCase());
}

/** The Graph origin (scheme, host, port) without path: the token scope is `<origin>/.default`. */
export function graphOrigin(config: GraphDirectoryConfig): string {
  return new URL(config.graphBaseUrl ?? PUBLIC_GRAPH_BASE_URL).origin;
}
