// One LDAP connection per operation: connect, encrypt, bind as the service account, do the work,
// unbind. Operations are rare (an emergency revocation) so pooling would buy nothing and would
// keep a bound connection open between requests.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { Client, type ClientOptions } from 'ldapts';
import { DirectoryError } from '../../core/errors';
import type { ResolvedLdapConfig } from './ldap-directory-config';
import { TLS_ADVICE, toDirectoryError } from './ldap-errors';

/** The part of the ldapts client the adapter uses; tests substitute their own. */
export type LdapClient = Pick<Client, 'startTLS' | 'bind' | 'search' | 'modify' | 'unbind'>;

export type LdapClientFactory = (options: ClientOptions) => LdapClient;

export const createLdapClient: LdapClientFactory = (options) => new Client(options);

export async function withLdapSession<T>(
  config: ResolvedLdapConfig,
  createClient: LdapClientFactory,
  work: (client: LdapClient) => Promise<T>,
): Promise<T> {
  const tlsOptions = buildTlsOptions(config);
  const client = createClient({
    url: config.url,
    timeout: config.timeoutMs,
    connectTimeout: config.timeoutMs,
    // ldapts connects with implicit TLS whenever tlsOptions are given, even to an ldap:// URL,
    // so they are given here only for ldaps:// and to startTLS otherwise.
    tlsOptions: config.transport === 'ldaps' ? tlsOptions : undefined,
  });
  try {
    if (config.transport === 'starttls') {
      // startTLS writes the socket into the object it is given: hand it a copy.
      await step('starttls', () => client.startTLS({ ...tlsOptions }));
    }
    await step('bind', () => client.bind(config.bindDn, config.bindPassword));
    return await work(client);
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

async function step(operation: 'starttls' | 'bind', run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    throw toDirectoryError(error, operation);
  }
}

export function buildTlsOptions(config: ResolvedLdapConfig): ConnectionOptions {
  const options: ConnectionOptions = { minVersion: 'TLSv1.2', host: config.host };
  const serverName = config.tlsServerName ?? config.host;
  // SNI must not carry an IP address; Node then checks the certificate against `host`.
  if (isIP(serverName) === 0) options.servername = serverName;
  if (config.caFile) options.ca = readCaFile(config.caFile);
  return options;
}

function readCaFile(caFile: string): Buffer {
  try {
    return readFileSync(caFile);
  } catch (cause) {
    throw new DirectoryError('misconfigured', `cannot read the LDAP CA file ${caFile}`, {
      code: 'ca_file_unreadable',
      advice: TLS_ADVICE,
      cause,
    });
  }
}
