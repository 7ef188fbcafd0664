// A real Active Directory (Samba AD DC) for integration tests, started by scripts/samba-ad-dc.sh.
// The first call in a test process starts it (a fresh domain, ~3-5 s); later calls share it.
// When this process started it, it is stopped when the process exits, so CI never waits on it.
// A DC that was already running is reused and left running, as is one started with
// REVOKE_SAMBA_KEEP=1 (faster edit-test loops: stop it with `scripts/samba-ad-dc.sh stop`).
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface SambaDc {
  url: string;
  /** ldap://localhost:389, for StartTLS and for proving plain connections are refused. */
  plainUrl: string;
  caFile: string;
  baseDn: string;
  usersDn: string;
  adminDn: string;
  adminPassword: string;
  realm: string;
}

const script = findScript(__dirname);

let started: Promise<SambaDc> | undefined;

export function startSambaDc(): Promise<SambaDc> {
  started ??= start();
  return started;
}

async function start(): Promise<SambaDc> {
  const alreadyRunning = await isRunning();
  if (!alreadyRunning) {
    try {
      await run('bash', [script, 'start'], { timeout: 120_000 });
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr ?? '';
      throw new Error(`scripts/samba-ad-dc.sh start failed:\n${stderr}`, { cause: error });
    }
    if (process.env.REVOKE_SAMBA_KEEP !== '1') {
      // 'exit' handlers must be synchronous; mocha's --exit ends the process this way too.
      process.once('exit', () => {
        spawnSync('bash', [script, 'stop'], { stdio: 'ignore', timeout: 20_000 });
      });
    }
  }
  const { stdout } = await run('bash', [script, 'env']);
  const env = parseEnv(stdout);
  return {
    url: env('SAMBA_AD_URL'),
    plainUrl: env('SAMBA_AD_PLAIN_URL'),
    caFile: env('SAMBA_AD_CA_FILE'),
    baseDn: env('SAMBA_AD_BASE_DN'),
    usersDn: `CN=Users,${env('SAMBA_AD_BASE_DN')}`,
    adminDn: env('SAMBA_AD_ADMIN_DN'),
    adminPassword: readFileSync(env('SAMBA_AD_ADMIN_PASSWORD_FILE'), 'utf8').trim(),
    realm: env('SAMBA_AD_REALM'),
  };
}

async function isRunning(): Promise<boolean> {
  try {
    await run('bash', [script, 'status']);
    return true;
  } catch {
    return false;
  }
}

function parseEnv(text: string): (name: string) => string {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) values.set(line.slice(0, at), line.slice(at + 1));
  }
  return (name) => {
    const value = values.get(name);
    if (value === undefined) throw new Error(`scripts/samba-ad-dc.sh env did not print ${name}`);
    return value;
  };
}

/** The script from the repository root, whether this runs compiled (dist/test/…) or not. */
function findScript(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'scripts', 'samba-ad-dc.sh');
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`scripts/samba-ad-dc.sh not found above ${from}`);
}
