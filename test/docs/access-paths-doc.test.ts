// docs/adding-an-access-path.md and README's Permissions section, checked against the registry.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACCESS_PATHS } from '../../src/core/paths/registry';
import { permissionNames, permissionNeeds } from '../../src/doctor/required-permissions';
import { projectRoot } from '../../src/project-root';

const root = projectRoot();
const guide = readFileSync(join(root, 'docs', 'adding-an-access-path.md'), 'utf8');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** The guide's table of paths: module file and step kinds, in the table's order. */
function guideRows(): Array<{ module: string; kinds: string[] }> {
  const lines = guide.split('\n');
  const start = lines.findIndex((line) => /^\| module\s+\|/.test(line));
  assert.ok(start >= 0, 'the guide has the table of paths');
  const rows: Array<{ module: string; kinds: string[] }> = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const cells = line
      .slice(1, -1)
      .split('|')
      .map((cell) => cell.trim());
    rows.push({
      module: (cells[0] ?? '').replace(/`/g, ''),
      kinds: [...(cells[2] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? ''),
    });
  }
  return rows;
}

describe('the access-path guide and README', () => {
  it('lists every registered path, in plan order, with exactly the step kinds it owns', () => {
    const rows = guideRows();
    assert.deepEqual(
      rows.map((row) => row.module),
      ACCESS_PATHS.map((path) => `${path.name}.ts`),
    );
    for (const [index, path] of ACCESS_PATHS.entries()) {
      assert.deepEqual(rows[index]?.kinds, Object.keys(path.actions), path.name);
      assert.ok(existsSync(join(root, 'src', 'core', 'paths', `${path.name}.ts`)), path.name);
    }
  });

  it('gives the residual ranks the paths use', () => {
    const ranks = Object.fromEntries(
      ACCESS_PATHS.flatMap((p) => (p.residual ? [[p.name, p.residual.rank] as const] : [])),
    );
    assert.deepEqual(ranks, {
      'entra-sessions': 10,
      apps: 20,
      'shared-signals': 22,
      'entra-devices': 30,
      'on-prem-ad': 40,
      'auth-methods': 50,
    });
    assert.match(guide, /tokens 10, apps 20, devices 30, AD 40, MFA 50/);
  });

  it("names in README's Permissions section every Graph permission a path's calls need", () => {
    const section = readme.slice(
      readme.indexOf('## Permissions (least privilege)'),
      readme.indexOf('## Checking the set-up'),
    );
    const missing = permissionNeeds()
      .flatMap((need) => need.operations.flatMap(permissionNames))
      .filter((permission) => !section.includes(permission));
    assert.deepEqual([...new Set(missing)], []);
  });
});
