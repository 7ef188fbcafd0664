// No import cycles anywhere in the project. A cycle means two files cannot be understood, tested
// or moved apart; `import type` edges count too (they vanish at run time, not from the design).
import assert from 'node:assert/strict';
import { projectRoot } from '../../src/project-root';
import {
  describeCycle,
  importCycles,
  importGraph,
  importSpecifiers,
  type ImportGraph,
} from './import-graph';

const CHECKED = ['src', 'test', 'bench'];

describe('import cycles', () => {
  const { graph, unresolved } = importGraph(projectRoot(), CHECKED);

  it('reads the whole project, so the check below is not vacuous', () => {
    assert.ok(graph.has('src/core/paths/registry.ts'));
    assert.ok(graph.has('src/app.ts'));
    assert.ok(
      graph.get('src/core/revocation/step-runner.ts')?.includes('src/core/paths/registry.ts'),
    );
    assert.ok(graph.size > 300, `only ${graph.size} files read`);
  });

  it('resolves every relative import to a source file', () => {
    assert.deepEqual(
      unresolved,
      [],
      `imports the cycle check cannot follow:\n${unresolved.join('\n')}`,
    );
  });

  it('finds none in src/, test/ or bench/', () => {
    const cycles = importCycles(graph);
    assert.deepEqual(
      cycles.map((group) => describeCycle(graph, group)),
      [],
      'Break each cycle: move the shared types or helpers into a file both sides import.',
    );
  });
});

describe('the import cycle finder', () => {
  it('sees every form of import, type-only ones included', () => {
    const text = [
      "import type { A } from './types';",
      "import { b } from './b.js';",
      "import * as c from './c';",
      "import './side-effect';",
      "export { d } from './d';",
      "export * from './e';",
      "export type { F } from './f';",
      "type G = import('./g').G;",
      "const h = await import('./h');",
      "import i = require('./i');",
      "import { readFileSync } from 'node:fs';",
    ].join('\n');
    assert.deepEqual(importSpecifiers('x.ts', text), [
      './types',
      './b.js',
      './c',
      './side-effect',
      './d',
      './e',
      './f',
      './g',
      './h',
      './i',
      'node:fs',
    ]);
  });

  it('reports a cycle closed by a type-only import, and a file importing itself', () => {
    const graph: ImportGraph = new Map([
      ['actions.ts', ['helpers.ts', 'result.ts']],
      ['helpers.ts', ['actions.ts']],
      ['result.ts', []],
      ['loop.ts', ['loop.ts']],
    ]);
    assert.deepEqual(importCycles(graph), [['actions.ts', 'helpers.ts'], ['loop.ts']]);
    assert.equal(
      describeCycle(graph, ['actions.ts', 'helpers.ts']),
      '2 files in a cycle:\n  actions.ts imports helpers.ts\n  helpers.ts imports actions.ts',
    );
  });

  it('finds the long cycle the step actions once had, and nothing in a chain', () => {
    const cycle: ImportGraph = new Map([
      ['step-actions.ts', ['containment-actions.ts', 'step-helpers.ts']],
      ['containment-actions.ts', ['step-actions.ts', 'step-helpers.ts']],
      ['step-helpers.ts', ['step-actions.ts']],
    ]);
    assert.deepEqual(importCycles(cycle), [
      ['containment-actions.ts', 'step-actions.ts', 'step-helpers.ts'],
    ]);
    const chain: ImportGraph = new Map([
      ['step-actions.ts', ['containment-actions.ts', 'step-helpers.ts']],
      ['containment-actions.ts', ['step-context.ts', 'step-helpers.ts']],
      ['step-helpers.ts', ['step-context.ts']],
      ['step-context.ts', []],
    ]);
    assert.deepEqual(importCycles(chain), []);
  });
});
