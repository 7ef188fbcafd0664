// The core's import rule, run through ESLint with the project's own configuration: the proof that
// `npm run lint` refuses a core file importing anything but core files and I/O-free built-ins.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { projectRoot } from '../../src/project-root';

const RULE = 'revoke/core-imports';

/** The core-imports messages ESLint reports for `code` saved as `file` (relative to the project). */
async function coreImportErrors(file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: projectRoot() });
  const [result] = await eslint.lintText(code, { filePath: join(projectRoot(), file) });
  assert.ok(result, 'ESLint returned no result');
  return result.messages
    .filter((message) => message.ruleId === RULE && message.severity === 2)
    .map((message) => message.message);
}

describe('the core import rule', function () {
  // Loading ESLint and the TypeScript parser the first time takes a few seconds.
  this.timeout(60_000);

  const refused: Array<[string, string, RegExp]> = [
    ['a driver', "import Database from 'better-sqlite3';", /is a package/],
    ['a package no denylist named', "import pino from 'pino';", /'pino' is a package/],
    [
      'a scoped SDK, type-only',
      "import type { TokenCredential } from '@azure/identity';",
      /package/,
    ],
    ['file I/O', "import { readFileSync } from 'node:fs';", /'node:fs' is not a built-in/],
    ['file I/O without the prefix', "import { readFileSync } from 'fs';", /'fs' is not a built-in/],
    [
      'a process, named without the prefix',
      "import { spawn } from 'child_process';",
      /not a built-in/,
    ],
    ['a subpath of file I/O', "import { readFile } from 'node:fs/promises';", /not a built-in/],
    ['name lookups', "import { lookup } from 'node:dns';", /not a built-in/],
    ['a socket', "import { connect } from 'node:net';", /not a built-in/],
    ['a process', "import { spawn } from 'node:child_process';", /not a built-in/],
    [
      'an allowed built-in without the prefix',
      "import { randomUUID } from 'crypto';",
      /node:crypto/,
    ],
    ['the app', "import { buildApp } from '../../app';", /outside src\/core/],
    [
      'an adapter',
      "import { GraphDirectory } from '../../directory/graph/graph-directory';",
      /outside/,
    ],
    ['the config', "import { loadConfig } from '../../config.js';", /outside/],
    ['a re-export', "export { Pool } from 'pg';", /package/],
    ['a dynamic import', "export const net = () => import('node:http');", /not a built-in/],
    ['a require', "import net = require('node:tls');", /not a built-in/],
    ['a type from an import() type', "export type Bot = import('botbuilder').Activity;", /package/],
    ['a computed import', 'export const load = (name: string) => import(name);', /literal/],
  ];
  for (const [what, code, expected] of refused) {
    it(`refuses ${what}`, async () => {
      const errors = await coreImportErrors('src/core/revocation/example.ts', code);
      assert.equal(errors.length, 1, `expected one error for: ${code}\ngot: ${errors.join('\n')}`);
      assert.match(errors[0]!, expected);
    });
  }

  it('refuses a path that climbs out of src/core from its top level too', async () => {
    const errors = await coreImportErrors('src/core/example.ts', "import { x } from '../config';");
    assert.equal(errors.length, 1, errors.join('\n'));
    assert.match(errors[0]!, /'..\/config' is outside src\/core/);
  });

  it('allows core files and the listed built-ins', async () => {
    const code = [
      "import { randomUUID } from 'node:crypto';",
      "import { inspect } from 'node:util';",
      "import { EventEmitter } from 'node:events';",
      "import type { Clock } from '../clock';",
      "import { withUniqueStepIds } from './step-ids';",
      "export type { StepResult } from './step-result.js';",
      'export const used = [randomUUID, inspect, EventEmitter, withUniqueStepIds];',
      'export type Used = Clock;',
    ].join('\n');
    assert.deepEqual(await coreImportErrors('src/core/revocation/example.ts', code), []);
  });

  it('applies to the core only: an adapter may import its SDK', async () => {
    const code = "import { ActivityHandler } from 'botbuilder';\nexport const h = ActivityHandler;";
    assert.deepEqual(await coreImportErrors('src/teams/example.ts', code), []);
  });
});
