import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/**
 * The project's own import graph, read from the TypeScript sources with the compiler's parser (no
 * type-checking, so it is fast). Every relative `import`/`export … from` and `import('…')` counts,
 * `import type` included: type-only edges vanish at run time but still tie two files' designs
 * together, so a cycle through them is a cycle.
 */
export type ImportGraph = ReadonlyMap<string, readonly string[]>;

/** All `.ts` files under `dir`, as paths relative to `root` with forward slashes. */
export function sourceFiles(root: string, dir: string): string[] {
  const found: string[] = [];
  const walk = (at: string): void => {
    for (const name of readdirSync(at).sort()) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) found.push(toKey(root, path));
    }
  };
  walk(join(root, dir));
  return found;
}

/** The module specifiers one file imports or re-exports, in source order. */
export function importSpecifiers(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, false);
  const specifiers: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier !== undefined &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      specifiers.push(node.moduleSpecifier.text);
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      specifiers.push(node.moduleReference.expression.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] !== undefined &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      specifiers.push(node.arguments[0].text);
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      specifiers.push(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specifiers;
}

export interface ProjectImports {
  graph: ImportGraph;
  /** `file: specifier` for each relative import that names no source file (the check is blind there). */
  unresolved: string[];
}

/**
 * The graph of the files under `dirs`: each file to the project files it imports. Packages and
 * node built-ins are left out (they cannot import back), and so are JSON files; a relative import
 * is resolved the way the compiler finds the source (`./x` or `./x.js` → `x.ts`, a folder → its
 * `index.ts`).
 */
export function importGraph(root: string, dirs: readonly string[]): ProjectImports {
  const graph = new Map<string, string[]>();
  const unresolved: string[] = [];
  for (const file of dirs.flatMap((dir) => sourceFiles(root, dir))) {
    const path = join(root, file);
    const targets = new Set<string>();
    for (const specifier of importSpecifiers(path, readFileSync(path, 'utf8'))) {
      if (!specifier.startsWith('.')) continue;
      if (specifier.endsWith('.json') && existsSync(resolve(dirname(path), specifier))) continue;
      const target = resolveSource(root, path, specifier);
      if (target === undefined) unresolved.push(`${file}: ${specifier}`);
      else targets.add(target);
    }
    graph.set(file, [...targets]);
  }
  return { graph, unresolved };
}

function resolveSource(root: string, fromPath: string, specifier: string): string | undefined {
  const base = resolve(dirname(fromPath), specifier);
  const stem = base.replace(/\.js$/, '');
  for (const candidate of [`${stem}.ts`, join(base, 'index.ts')]) {
    if (existsSync(candidate)) return toKey(root, candidate);
  }
  return undefined;
}

function toKey(root: string, path: string): string {
  return relative(root, path).split('\\').join('/');
}

/**
 * Every import cycle, as the groups of files that can each reach the others through imports
 * (strongly connected components, Tarjan's algorithm). A file importing itself is a group of one.
 * Members and groups are sorted so the result is stable.
 */
export function importCycles(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const groups: string[][] = [];
  let next = 0;

  const connect = (file: string): void => {
    index.set(file, next);
    low.set(file, next);
    next += 1;
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file) ?? []) {
      if (!index.has(target)) {
        connect(target);
        low.set(file, Math.min(low.get(file)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(file, Math.min(low.get(file)!, index.get(target)!));
      }
    }
    if (low.get(file) === index.get(file)) {
      const group: string[] = [];
      for (;;) {
        const member = stack.pop()!;
        onStack.delete(member);
        group.push(member);
        if (member === file) break;
      }
      if (group.length > 1 || (graph.get(file) ?? []).includes(file)) groups.push(group.sort());
    }
  };
  for (const file of [...graph.keys()].sort()) if (!index.has(file)) connect(file);
  return groups.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

/** One cycle group as text: each member with the imports that keep it inside the group. */
export function describeCycle(graph: ImportGraph, group: readonly string[]): string {
  const members = new Set(group);
  const lines = group.map((file) => {
    const inside = (graph.get(file) ?? []).filter((target) => members.has(target));
    return `  ${file} imports ${inside.join(', ')}`;
  });
  return [`${group.length} files in a cycle:`, ...lines].join('\n');
}
