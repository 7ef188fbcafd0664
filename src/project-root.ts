import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

let root: string | undefined;

/**
 * The folder holding Revoke's package.json, found by walking up from this file: the code runs
 * from `src/` in development and from `dist/src/` when compiled, at different depths, and the
 * bundled files (cards, sandbox data) sit at the top.
 */
export function projectRoot(): string {
  if (root !== undefined) return root;
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'cards'))) {
      root = dir;
      return dir;
    }
    if (dirname(dir) === dir)
      throw new Error(`Cannot find Revoke's package.json above ${__dirname}`);
  }
}
