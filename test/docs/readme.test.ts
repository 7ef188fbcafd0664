// README sentences that can drift from the code they describe, checked against that code.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runbookPlan } from '../support/runbook-plan';
import type { TargetSnapshot } from '../../src/core/model';
import { projectRoot } from '../../src/project-root';

const readme = readFileSync(join(projectRoot(), 'README.md'), 'utf8');

/** The rows of the Markdown table whose header row starts with `firstHeader`. */
function tableRows(firstHeader: string): string[][] {
  const lines = readme.split('\n');
  const start = lines.findIndex((line) =>
    line.replace(/\s+/g, ' ').startsWith(`| ${firstHeader} |`),
  );
  assert.ok(start >= 0, `README has a table headed "${firstHeader}"`);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split(' | ')
        .map((cell) => cell.replace(/\*\*|`/g, '').trim()),
    );
  }
  return rows;
}

describe('README', () => {
  it('lists exactly the Debian packages that the test scripts install', () => {
    const script = readFileSync(join(projectRoot(), 'scripts', 'install-system-deps.sh'), 'utf8');
    const installed = /packages=\(([^)]*)\)/.exec(script)?.[1]?.split(/\s+/).filter(Boolean);
    const documented = /or install `([a-z0-9 -]+)`/.exec(readme)?.[1]?.split(' ');
    assert.ok(installed && documented);
    assert.deepEqual([...documented].sort(), [...installed].sort());
  });

  it('has no table row outside a table (every table has a header and a separator)', () => {
    const lines = readme.split('\n');
    lines.forEach((line, index) => {
      if (!line.startsWith('|')) return;
      // Walk up to the first row of this table: its next line must be the separator.
      let first = index;
      while (first > 0 && lines[first - 1]?.startsWith('|')) first--;
      assert.match(lines[first + 1] ?? '', /^\|[\s|:-]+\|$/, `line ${index + 1} is in a table`);
      assert.ok(
        lines[first - 1]?.trim() === '',
        `line ${first + 1} starts a table after a blank line`,
      );
    });
  });

  it('the steps table says what each runbook step runs after, as the plan does', () => {
    const synced: TargetSnapshot = {
      id: 'u1',
      userPrincipalName: 'alice@contoso.com',
      displayName: 'Alice',
      onPremisesSynced: true,
      deviceCount: 1,
    };
    const device = { id: 'd1', displayName: 'Laptop', accountEnabled: true };
    const { steps } = runbookPlan(synced, [device], { onPremConfigured: true });
    const titleOf = new Map(steps.map((step) => [step.id, step.title]));
    // README names a predecessor by what it does; map those words to the plan's step ids.
    const predecessorWords: Record<string, string> = {
      'ad-disable': 'the AD disable',
      'entra-disable': 'the Entra ID disable',
    };
    const documented = tableRows('step').map(([step, , after]) => ({ step, after }));
    const documentedAfter = (title: string): string | undefined =>
      documented.find((row) => row.step?.toLowerCase().startsWith(title.toLowerCase()))?.after;
    for (const step of steps) {
      const title =
        step.kind === 'entra.disableDevice' ? 'Disable each registered device' : step.title;
      const after = documentedAfter(title.replace(/ to random values$/, ''));
      assert.ok(after !== undefined, `README's steps table has "${titleOf.get(step.id)}"`);
      const expected =
        step.dependsOn.length === 0
          ? '–'
          : step.dependsOn.map((id) => predecessorWords[id] ?? id).join(', ');
      assert.ok(after.startsWith(expected), `"${title}" runs after ${expected}; README: ${after}`);
    }
  });
});
