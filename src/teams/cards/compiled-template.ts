// Our card templates use a small part of the Adaptive Cards templating language: every `${…}` is
// a whole string naming a property path (`${title}`, `${status.color}`), `$data` binds such a path
// (an array repeats the object), and `$when` keeps an object only when its path is `true`.
// adaptivecards-templating evaluates each of them through a general expression engine (a memory
// object, options and a case-insensitive key search per expression), which made a request card
// cost about 1.5 ms to render. This compiles a template that stays within that part into a tree
// expanded directly, with the library's exact rules (see expand below); a template that uses
// anything else (functions, text around an expression, `$root`, `$index`, …) is not compiled here
// and the library expands it, so a template may grow without this file knowing.
//
// As with the library, data is only substituted, never parsed: `${…}` inside user text stays
// literal.
//
// A card is rendered on every post and update, so the expansion allocates little: a path step
// reads keys in place instead of listing them, and `expandPruned` drops what Teams does not want
// (pruneCard) while it builds the card instead of copying it once more.
import { pruneCard, dropsFromCard } from './prune-card';

type Compiled = Literal | PathNode | ArrayNode | ObjectNode;
type Literal = { kind: 'literal'; value: unknown };
type PathNode = {
  kind: 'path';
  path: string;
  parts: readonly string[];
  /** The parts in lower case: what a key is compared with, ignoring case. */
  lowerParts: readonly string[];
};
type ArrayNode = { kind: 'array'; items: readonly Compiled[] };
type ObjectNode = {
  kind: 'object';
  when: PathNode | undefined;
  data: PathNode | undefined;
  entries: readonly (readonly [string, Compiled])[];
};

/** Keys the templating language reserves: never copied to the output. */
const RESERVED = new Set(['$data', '$when', '$root', '$index', '$host', '$_acTemplateVersion']);

/** A whole-string expression naming a property path, and nothing else. */
const PATH = /^\$\{([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\}$/;

/** Words the expression language reads as constants, not as property names. */
const CONSTANTS = new Set(['true', 'false', 'null', 'undefined']);

class Unsupported extends Error {}

/** The compiled template, or undefined when it uses more than this expander knows. */
export function compileTemplate(payload: unknown): CompiledTemplate | undefined {
  try {
    return new CompiledTemplate(compile(payload));
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

export class CompiledTemplate {
  constructor(private readonly root: Compiled) {}

  /** What adaptivecards-templating's `new Template(payload).expand({ $root: data })` returns. */
  expand(data: unknown): unknown {
    return expand(this.root, data, false);
  }

  /** `pruneCard(this.expand(data))`, built in one pass. */
  expandPruned(data: unknown): unknown {
    return expand(this.root, data, true);
  }
}

function compile(node: unknown): Compiled {
  if (typeof node === 'string') {
    if (!node.includes('${')) return { kind: 'literal', value: node };
    return compilePath(node);
  }
  if (Array.isArray(node)) return { kind: 'array', items: node.map(compile) };
  if (node !== null && typeof node === 'object') {
    const object = node as Record<string, unknown>;
    const entries: [string, Compiled][] = [];
    for (const [key, value] of Object.entries(object)) {
      if (!RESERVED.has(key)) entries.push([key, compile(value)]);
    }
    return {
      kind: 'object',
      when: '$when' in object ? compileBinding(object['$when']) : undefined,
      data: '$data' in object ? compileBinding(object['$data']) : undefined,
      entries,
    };
  }
  return { kind: 'literal', value: node };
}

/** `$when` and `$data` as this expander knows them: a path expression, nothing else. */
function compileBinding(value: unknown): PathNode {
  if (typeof value !== 'string') throw new Unsupported();
  return compilePath(value);
}

function compilePath(text: string): PathNode {
  const path = PATH.exec(text)?.[1];
  if (path === undefined) throw new Unsupported();
  const parts = path.split('.');
  if (parts.some((part) => CONSTANTS.has(part.toLowerCase()))) throw new Unsupported();
  return { kind: 'path', path, parts, lowerParts: parts.map((part) => part.toLowerCase()) };
}

/**
 * A path read as the library reads it: from the current `$data` (the root until a `$data`
 * binding sets it), each step the first own key equal to it ignoring case; undefined as soon as
 * a step finds nothing or starts from a falsy value.
 */
function lookUp(scope: unknown, node: PathNode): unknown {
  let value = scope;
  for (let i = 0; i < node.parts.length; i++) {
    if (!value) return undefined;
    value = ownValueIgnoringCase(value, node.parts[i] ?? '', node.lowerParts[i] ?? '');
  }
  return value;
}

/**
 * The value of the first own enumerable key (in Object.keys order) equal to `part` ignoring
 * case. `lower` is ASCII (a path is an identifier), so a key of another length never matches.
 */
function ownValueIgnoringCase(
  value: object | string | number | boolean,
  part: string,
  lower: string,
): unknown {
  const record = value as Record<string, unknown>;
  for (const key in record) {
    if (!Object.prototype.hasOwnProperty.call(record, key)) continue;
    if (key === part || (key.length === lower.length && key.toLowerCase() === lower)) {
      return record[key];
    }
  }
  return undefined;
}

/** An expression's value; one that finds nothing stays as its own text, as the library leaves it. */
function substituted(node: PathNode, data: unknown): unknown {
  const value = lookUp(data, node);
  return value === undefined ? `\${${node.path}}` : value;
}

function expand(node: Compiled, data: unknown, pruned: boolean): unknown {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'path': {
      const value = substituted(node, data);
      return pruned ? pruneCard(value) : value;
    }
    case 'array': {
      const items: unknown[] = [];
      for (const item of node.items) {
        const expanded = expand(item, data, pruned);
        if (expanded === null) continue;
        if (Array.isArray(expanded)) for (const each of expanded) items.push(each);
        else items.push(expanded);
      }
      return items;
    }
    case 'object':
      return expandObject(node, data, pruned);
  }
}

/**
 * An object once per item of its `$data` array (once when it has no `$data`), each kept only when
 * its `$when` is exactly `true`: none is null, one is that object, more are an array that the
 * enclosing array takes in place.
 */
function expandObject(node: ObjectNode, outer: unknown, pruned: boolean): unknown {
  if (!node.data) {
    if (node.when && lookUp(outer, node.when) !== true) return null;
    return expandEntries(node, outer, pruned);
  }
  const bound = substituted(node.data, outer);
  const contexts = Array.isArray(bound) ? bound : [bound];
  const results: Record<string, unknown>[] = [];
  let data = outer;
  for (const context of contexts) {
    // An undefined item leaves the previous one in place, as the library's context does.
    if (context !== undefined) data = context;
    if (node.when && lookUp(data, node.when) !== true) continue;
    results.push(expandEntries(node, data, pruned));
  }
  if (results.length === 0) return null;
  return results.length === 1 ? results[0] : results;
}

function expandEntries(node: ObjectNode, data: unknown, pruned: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, child] of node.entries) {
    const value = expand(child, data, pruned);
    if (value === undefined || (pruned && dropsFromCard(key, value))) continue;
    out[key] = value;
  }
  return out;
}
