// The core's import rule, as an allowlist: a file under src/core may import other src/core files
// and the few node built-ins listed below, nothing else. A denylist of SDKs missed every package
// nobody thought of (a logger, an HTTP helper) and any path that climbed out of src/core; an
// allowlist fails closed, and widening it is a reviewed edit to this file.
import { builtinModules } from 'node:module';
import { dirname, isAbsolute, relative, resolve } from 'node:path';

/**
 * Built-ins that compute in-process and reach nothing outside it: no files, sockets, processes or
 * workers.
 * - node:crypto: random request ids and hashes (its randomness is the OS's, but no I/O of ours);
 * - node:util: inspection, type checks, TextEncoder/TextDecoder;
 * - node:events: in-process events between core objects;
 * - node:buffer: bytes for hashing and encoding.
 * Left out on purpose: fs, net, http(s), tls, dns, child_process, worker_threads, cluster, os,
 * process, path (it only means something next to file I/O), and every package.
 */
export const CORE_BUILTINS = ['node:crypto', 'node:util', 'node:events', 'node:buffer'];

const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/** @type {import('eslint').Rule.RuleModule} */
export const coreImports = {
  meta: {
    type: 'problem',
    docs: { description: 'The core imports only core files and I/O-free node built-ins.' },
    schema: [
      {
        type: 'object',
        properties: { coreDir: { type: 'string' } },
        additionalProperties: false,
      },
    ],
    messages: {
      outside:
        "'{{specifier}}' is outside src/core. The core may not depend on adapters or the app: define a port in src/core/ports.ts and implement it outside.",
      builtin:
        "'{{specifier}}' is not a built-in the core may use (allowed: {{allowed}}). I/O belongs in an adapter behind a port.",
      bareBuiltin:
        "Write '{{specifier}}' as 'node:{{specifier}}'; the allowlist names built-ins that way.",
      package:
        "'{{specifier}}' is a package. The core imports no SDK, driver, transport or library: define a port in src/core/ports.ts.",
      computed: 'The core imports only literal module names, so this rule can check them.',
    },
  },
  create(context) {
    const coreDir = resolve(context.cwd, context.options[0]?.coreDir ?? 'src/core');
    const file = context.filename;

    const check = (source) => {
      const specifier = literalText(source);
      if (specifier === undefined) {
        context.report({ node: source, messageId: 'computed' });
        return;
      }
      const report = (messageId) =>
        context.report({
          node: source,
          messageId,
          data: { specifier, allowed: CORE_BUILTINS.join(', ') },
        });
      if (specifier.startsWith('.') || isAbsolute(specifier)) {
        const path = relative(coreDir, resolve(dirname(file), specifier));
        if (path.startsWith('..') || isAbsolute(path)) report('outside');
      } else if (CORE_BUILTINS.includes(specifier)) {
        return;
      } else if (CORE_BUILTINS.includes(`node:${specifier}`)) {
        report('bareBuiltin');
      } else if (builtins.has(specifier) || specifier.startsWith('node:')) {
        report('builtin');
      } else {
        report('package');
      }
    };

    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => node.source && check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
      TSImportType: (node) => check(node.source ?? node.argument?.literal),
      TSExternalModuleReference: (node) => check(node.expression),
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require')
          check(node.arguments[0]);
      },
    };
  },
};

/** The module name when the source names it literally (a string or a template without holes). */
function literalText(node) {
  if (node?.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node?.type === 'TemplateLiteral' && node.expressions.length === 0)
    return node.quasis[0]?.value.cooked ?? undefined;
  return undefined;
}
