// On-premises AD, before any bind: does the DC answer on the port, and does its certificate verify
// with the configured CA and name? Verification failures are explained from the certificate
// itself (read in a second, unverified handshake that sends nothing but the TLS hello).
import { connect as connectTcp } from 'node:net';
import { connect as connectTls, type ConnectionOptions, type PeerCertificate } from 'node:tls';
import { Client } from 'ldapts';
import { DirectoryError } from '../../core/errors';
import type { ResolvedLdapConfig } from '../../directory/ldap/ldap-directory-config';
import { buildTlsOptions } from '../../directory/ldap/ldap-session';
import { TLS_FIX, tlsProblemKind } from '../ad/tls-problem';
import { fail, ok, warn, type CheckResult } from '../check-result';

const EXPIRY_WARNING_DAYS = 30;

export function ldapPort(config: ResolvedLdapConfig): number {
  const port = new URL(config.url).port;
  return port ? Number(port) : config.transport === 'ldaps' ? 636 : 389;
}

export async function checkLdapReachable(config: ResolvedLdapConfig): Promise<CheckResult> {
  const port = ldapPort(config);
  const name = `AD server ${config.host}:${port}`;
  try {
    await new Promise<void>((resolve, reject) => {
      const socket = connectTcp({ host: config.host, port, timeout: config.timeoutMs });
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('timeout', () => {
        socket.destroy();
        reject(Object.assign(new Error('connection timed out'), { code: 'ETIMEDOUT' }));
      });
      socket.once('error', reject);
    });
    return ok(name, 'answers');
  } catch (error) {
    const code = codeOf(error) ?? 'unknown';
    const fixes: Record<string, string> = {
      ENOTFOUND: 'The host name does not resolve: check LDAP_URL and this host’s DNS.',
      ECONNREFUSED: `Nothing listens on port ${port}: check the port in LDAP_URL (636 for ldaps://, 389 for ldap:// with StartTLS) and that the DC serves LDAPS (it needs a certificate).`,
      ETIMEDOUT: `No answer: a firewall between this host and the DC probably drops port ${port}.`,
    };
    return fail(
      name,
      `does not answer (${code})`,
      fixes[code] ?? 'Check LDAP_URL and the network path to the DC.',
    );
  }
}

export async function checkLdapTls(config: ResolvedLdapConfig): Promise<CheckResult> {
  const name = `AD TLS (${config.transport === 'ldaps' ? 'LDAPS' : 'StartTLS'})`;
  if (config.transport === 'plain') {
    return fail(name, 'the connection is not encrypted', 'Use ldaps://, or LDAP_STARTTLS=true.');
  }
  let tlsOptions: ConnectionOptions;
  try {
    tlsOptions = buildTlsOptions(config);
  } catch (error) {
    const message = error instanceof DirectoryError ? error.message : String(error);
    return fail(name, message, 'Point LDAP_CA_FILE at a readable PEM file.');
  }
  try {
    const cert =
      config.transport === 'ldaps'
        ? await tlsHandshake(config, tlsOptions)
        : await startTls(config, tlsOptions);
    const expiresInDays = cert
      ? Math.floor((Date.parse(cert.valid_to) - Date.now()) / 86_400_000)
      : undefined;
    if (expiresInDays !== undefined && expiresInDays < EXPIRY_WARNING_DAYS) {
      return warn(
        name,
        `verified, but the certificate expires in ${expiresInDays} day(s) (${cert?.valid_to})`,
        TLS_FIX.expired,
      );
    }
    return ok(name, `certificate verified${config.caFile ? ' with LDAP_CA_FILE' : ''}`);
  } catch (error) {
    const code = codeOf(error);
    const kind = tlsProblemKind(code);
    if (!kind) {
      return fail(
        name,
        `handshake failed: ${error instanceof Error ? error.message : String(error)}`,
        'Check that the port in LDAP_URL serves LDAPS (or StartTLS for ldap://).',
      );
    }
    const about = config.transport === 'ldaps' ? await describeCertificate(config) : undefined;
    return fail(name, `certificate ${kind} (${code})${about ? `: ${about}` : ''}`, TLS_FIX[kind]);
  }
}

function tlsHandshake(
  config: ResolvedLdapConfig,
  options: ConnectionOptions,
): Promise<PeerCertificate | undefined> {
  return new Promise((resolve, reject) => {
    const socket = connectTls({ ...options, port: ldapPort(config), timeout: config.timeoutMs });
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate();
      socket.destroy();
      resolve(cert && cert.valid_to ? cert : undefined);
    });
    socket.once('timeout', () => {
      socket.destroy();
      reject(Object.assign(new Error('TLS handshake timed out'), { code: 'ETIMEDOUT' }));
    });
    socket.once('error', reject);
  });
}

async function startTls(
  config: ResolvedLdapConfig,
  options: ConnectionOptions,
): Promise<PeerCertificate | undefined> {
  const client = new Client({
    url: config.url,
    timeout: config.timeoutMs,
    connectTimeout: config.timeoutMs,
  });
  try {
    await client.startTLS({ ...options });
    return undefined;
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

/** Who the certificate names and who issued it, read without verifying it. */
async function describeCertificate(config: ResolvedLdapConfig): Promise<string | undefined> {
  try {
    const cert = await tlsHandshake(config, {
      host: config.host,
      ...(config.tlsServerName ? { servername: config.tlsServerName } : {}),
      rejectUnauthorized: false,
    });
    if (!cert) return undefined;
    const names = cert.subjectaltname || `CN=${String(cert.subject?.CN ?? '?')}`;
    return `the DC presents a certificate for ${names}, issued by CN=${String(cert.issuer?.CN ?? '?')}, valid until ${cert.valid_to}`;
  } catch {
    return undefined;
  }
}

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}
