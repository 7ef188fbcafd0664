// README's sentences on the Node lines `npm test` runs, checked against the scripts and the
// packages they name.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/project-root';

const root = projectRoot();
// One line per paragraph's worth of text: README wraps its sentences anywhere.
const readme = readFileSync(join(root, 'README.md'), 'utf8').replace(/\s+/g, ' ');

function packageJson(...path: string[]): {
  dependencies?: Record<string, string>;
  engines?: { node?: string };
} {
  return JSON.parse(readFileSync(join(root, ...path, 'package.json'), 'utf8'));
}

/** What scripts/node-lines.sh (which scripts/test.sh asks) makes of a REVOKE_TEST_NODE_LINES. */
function nodeLines(value: string | undefined) {
  const env = { ...process.env };
  if (value === undefined) delete env.REVOKE_TEST_NODE_LINES;
  else env.REVOKE_TEST_NODE_LINES = value;
  return spawnSync('bash', [join(root, 'scripts', 'node-lines.sh')], { encoding: 'utf8', env });
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

describe('README: the Node lines `npm test` runs', () => {
  it('each documented REVOKE_TEST_NODE_LINES value runs that line alone', () => {
    const documented = [...readme.matchAll(/`REVOKE_TEST_NODE_LINES=(\S+) npm test`/g)].map(
      (match) => match[1] ?? '',
    );
    assert.deepEqual([...documented].sort(), ['24', 'current']);
    for (const value of documented) {
      const result = nodeLines(value);
      assert.equal(result.status, 0, result.stderr);
      assert.equal(result.stdout.trim(), value);
    }
  });

  it('runs the current Node, then Node 24, when not told otherwise; refuses a line it does not know', () => {
    const onNode24 = process.versions.node.startsWith('24.');
    assert.equal(nodeLines(undefined).stdout.trim(), onNode24 ? 'current' : 'current 24');
    const unknown = nodeLines('current 22');
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /no Node line '22'/);
  });

  it('names the better-sqlite3 both lines load, whose own engines cover the Node majors it says', () => {
    const [, version, ...majors] =
      /The SQLite store uses better-sqlite3 (\S+) on both lines \(it supports Node (\d+) and (\d+)\), not `node:sqlite`/.exec(
        readme,
      ) ?? [];
    assert.ok(version && majors.length === 2, 'README names the SQLite driver and the Node majors');
    assert.equal(packageJson().dependencies?.['better-sqlite3'], version);
    assert.equal(packageJson('scripts', 'node24').dependencies?.['better-sqlite3'], version);
    const engines = packageJson('node_modules', 'better-sqlite3').engines?.node ?? '';
    for (const major of majors) {
      assert.match(
        engines,
        new RegExp(`(^|\\|\\| )${major}\\.x( |$)`),
        `Node ${major}: ${engines}`,
      );
    }
    const nodeSqlite = sourceFiles(join(root, 'src')).filter((file) =>
      readFileSync(file, 'utf8').includes("'node:sqlite'"),
    );
    assert.deepEqual(nodeSqlite, []);
  });

  it('names the restify major that package.json pins, and the oldest Node it declares', () => {
    const major = /restify is at (\d+):/.exec(readme)?.[1];
    const declared = /restify \d+ declares Node (\d+) or later/.exec(readme)?.[1];
    assert.ok(major && declared, 'README names the restify major and its oldest Node');
    assert.match(packageJson().dependencies?.restify ?? '', new RegExp(`^${major}\\.`));
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { engines?: { node?: string } }>;
    };
    assert.equal(lock.packages['node_modules/restify']?.engines?.node, `>=${declared}.0.0`);
  });
});
