// A throw-away certificate authority for the HTTPS stand-ins, made with the openssl CLI so the real
// SDKs talk real TLS to 127.0.0.1. Node only trusts it through NODE_EXTRA_CA_CERTS, which must be
// set before node starts: scripts/test.sh creates the CA first, then exports the variable.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';

export interface TestCa {
  dir: string;
  caCertPath: string;
  serverCertPath: string;
  serverKeyPath: string;
  /** Self-signed client certificate + key in one PEM, for certificate-credential tests. */
  clientPemPath: string;
  clientCertPath: string;
}

const FILES = ['ca.pem', 'server.pem', 'server-key.pem', 'client.pem', 'client-cert.pem'] as const;

/** The repository root: the first ancestor holding package.json (works from src and dist). */
export function repoRoot(from: string = __dirname): string {
  let dir = resolve(from);
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

function describe(dir: string): TestCa {
  return {
    dir,
    caCertPath: join(dir, 'ca.pem'),
    serverCertPath: join(dir, 'server.pem'),
    serverKeyPath: join(dir, 'server-key.pem'),
    clientPemPath: join(dir, 'client.pem'),
    clientCertPath: join(dir, 'client-cert.pem'),
  };
}

function complete(dir: string): boolean {
  return FILES.every((f) => existsSync(join(dir, f)));
}

function openssl(cwd: string, args: string[]): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Creates `<repo>/.tmp/test-ca/` when missing or incomplete; returns its paths. */
export function ensureTestCa(root: string = repoRoot()): TestCa {
  const dir = join(root, '.tmp', 'test-ca');
  if (complete(dir)) return describe(dir);

  // Built in a private directory and renamed into place, so parallel test processes never see
  // (or trust) a half-written CA.
  const work = join(root, '.tmp', `test-ca.${process.pid}.${Date.now()}`);
  mkdirSync(work, { recursive: true });
  try {
    selfSigned(work, 'ca', '/CN=Revoke test CA', [
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    openssl(work, [
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-sha256',
      '-keyout',
      'server-key.pem',
      '-out',
      'server.csr',
      '-subj',
      '/CN=localhost',
    ]);
    writeFileSync(
      join(work, 'server.ext'),
      [
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
        'basicConstraints=critical,CA:FALSE',
        'keyUsage=critical,digitalSignature,keyEncipherment',
        'extendedKeyUsage=serverAuth',
      ].join('\n') + '\n',
    );
    openssl(work, [
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca-key.pem',
      '-CAcreateserial',
      '-days',
      '825',
      '-sha256',
      '-extfile',
      'server.ext',
      '-out',
      'server.pem',
    ]);
    selfSigned(work, 'client', '/CN=Revoke test app');
    writeFileSync(
      join(work, 'client.pem'),
      readFileSync(join(work, 'client-cert.pem'), 'utf8') +
        readFileSync(join(work, 'client-key.pem'), 'utf8'),
    );
    rmSync(dir, { recursive: true, force: true });
    try {
      renameSync(work, dir);
    } catch (error) {
      // Another process won the race; its CA is as good as ours.
      if (!complete(dir)) throw error;
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return describe(dir);
}

/** A self-signed certificate `<name>.pem` (or `<name>-cert.pem` for the client) with its key. */
function selfSigned(work: string, name: 'ca' | 'client', subject: string, extra: string[] = []) {
  openssl(work, [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-sha256',
    '-days',
    '3650',
    '-keyout',
    `${name}-key.pem`,
    '-out',
    name === 'ca' ? 'ca.pem' : 'client-cert.pem',
    '-subj',
    subject,
    ...extra,
  ]);
}
