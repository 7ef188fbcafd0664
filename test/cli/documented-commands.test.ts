// Every operator command that README.md and docs/ tell a user to type is run here exactly as
// written, through a shell in the project root, the way a newcomer runs it after `npm run build`.
// A command documented but not listed in `expectations` fails this test, so a new README line
// cannot go untested.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteAuditLog } from '../../src/store';
import { sandboxKeyring } from '../../src/audit/sandbox-key';
import { projectRoot } from '../../src/project-root';

const root = projectRoot();

/** The operator commands the documents mention, as written (placeholders included). */
function documentedCommands(): string[] {
  const files = [
    join(root, 'README.md'),
    ...readdirSync(join(root, 'docs'))
      .filter((name) => name.endsWith('.md'))
      .map((name) => join(root, 'docs', name)),
  ];
  const commands = new Set<string>();
  const pattern = /(?:npx revoke|npm run (?:audit|doctor))(?: --)?(?: [a-z-]+| <[a-z]+>| \S+Z)*/g;
  for (const file of files) {
    for (const match of readFileSync(file, 'utf8').matchAll(pattern)) {
      commands.add(match[0].trim());
    }
  }
  return [...commands].sort();
}

interface Expectation {
  exitCode: number;
  stdout: RegExp;
}

const intact: Expectation = { exitCode: 0, stdout: /intact: 3 record\(s\)/ };
const doctorPasses: Expectation = { exitCode: 0, stdout: /All \d+ checks passed/ };
const exported: Expectation = { exitCode: 0, stdout: /"seq":3/ };
const expectations: Record<string, Expectation> = {
  'npx revoke doctor': doctorPasses,
  'npm run doctor': doctorPasses,
  'npx revoke audit verify --anchor <hash>': intact,
  'npm run audit -- verify': intact,
  'npm run audit -- verify --anchor <hash>': intact,
  'npm run audit -- export': exported,
  'npm run audit -- export --since 2026-11-01T00:00:00Z': exported,
};

describe('documented commands, exactly as typed', function () {
  // Each command starts npm and node; a cold npx on this machine takes a few seconds.
  this.timeout(120_000);
  let dir: string;
  let lastHash: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'revoke-docs-'));
    // A newcomer's sandbox database: signed with the key file the sandbox keeps beside it.
    const database = join(dir, 'revoke.db');
    const log = new SqliteAuditLog(database, { keyring: sandboxKeyring(`sqlite:${database}`) });
    for (let n = 1; n <= 3; n++) {
      await log.append({
        type: 'request.created',
        at: new Date(Date.UTC(2026, 10, 2, 9, n)).toISOString(),
        requestId: `R-20261102-000${n}`,
        actorId: 'requester',
        details: {},
      });
    }
    await log.close();
    // Through node, not npx: npx makes a bin executable as it runs it, which would hide a build
    // that leaves it without the bit.
    const verify = run(`node dist/src/cli/revoke.js audit verify`);
    const hash = /last hash ([0-9a-f]{64})/.exec(verify.stdout)?.[1];
    assert.ok(hash, `no last hash in: ${verify.stdout}${verify.stderr}`);
    lastHash = hash;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function run(command: string): { status: number | null; stdout: string; stderr: string } {
    const result = spawnSync('sh', ['-c', command.replace('<hash>', lastHash)], {
      cwd: root,
      encoding: 'utf8',
      // A newcomer's shell: no tenant configured, the database in a scratch folder.
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? dir,
        DATABASE_URL: `sqlite:${join(dir, 'revoke.db')}`,
        NO_UPDATE_NOTIFIER: '1',
        // The runner's own node options: npm test's Node 24 line preloads there the copy of
        // better-sqlite3 built for Node 24 (scripts/node24/native-modules.mjs).
        ...(process.env.NODE_OPTIONS ? { NODE_OPTIONS: process.env.NODE_OPTIONS } : {}),
      },
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  it('the built `revoke` bin is executable (npx runs it directly)', () => {
    // `npm run build` is what README says to run first; the test suite runs after it.
    const mode = statSync(join(root, 'dist', 'src', 'cli', 'revoke.js')).mode;
    assert.equal(mode & 0o111, 0o111, `dist/src/cli/revoke.js mode is ${mode.toString(8)}`);
  });

  it('every documented command is one this test runs', () => {
    assert.deepEqual(documentedCommands(), Object.keys(expectations).sort());
  });

  for (const [command, expected] of Object.entries(expectations)) {
    it(`\`${command}\``, () => {
      const result = run(command);
      const output = `${result.stdout}\n${result.stderr}`;
      assert.doesNotMatch(output, /Permission denied|not found/);
      assert.equal(result.status, expected.exitCode, output);
      assert.match(result.stdout, expected.stdout);
    });
  }
});
