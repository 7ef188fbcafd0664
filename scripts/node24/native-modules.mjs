// Preloaded (NODE_OPTIONS=--import, so child processes get it too) into every process of the
// Node 24 line of `npm test`: `require('better-sqlite3')` loads the copy that scripts/node24.sh
// built for Node 24's ABI under .tmp/node24, the same version as node_modules' one, which stays
// built for the Node that ran `npm ci`.
import { readFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

// The package's entry file, found by hand: require.resolve would run this hook again, and the
// default resolver ignores a changed parentURL for require().
const dir = join(
  import.meta.dirname,
  '..',
  '..',
  '.tmp',
  'node24',
  'node_modules',
  'better-sqlite3',
);
const { main } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
const url = pathToFileURL(join(dir, main)).href;

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier !== 'better-sqlite3') return nextResolve(specifier, context);
    return { url, format: 'commonjs', shortCircuit: true };
  },
});
