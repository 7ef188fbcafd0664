// Card templates live as JSON in the repository's `cards/` folder so they can be previewed in the
// Adaptive Cards designer. They are read and compiled once per process and expanded on every render.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ACData from 'adaptivecards-templating';
import { projectRoot } from '../../project-root';
import { compileTemplate } from './compiled-template';

/** An Adaptive Card payload as sent to Teams. */
export type AdaptiveCardJson = Record<string, unknown>;

export type TemplateName = 'request' | 'help';

/** Either engine, as far as a render is concerned. */
interface Expander {
  expand(data: unknown): unknown;
}

// Compiled once per process: building a library Template parses every `${…}` into an expression
// tree (an ANTLR parse each), which cost far more than an expansion. Our own expander (see
// compiled-template.ts) takes a template that stays within the subset it knows; any other goes
// to the library, whose instance is safe to expand again and again: `expand` resets the little
// state it keeps on every call, runs synchronously, and never changes the compiled tree.
const compiled = new Map<TemplateName, Expander>();

function templateOf(name: TemplateName): Expander {
  let template = compiled.get(name);
  if (template === undefined) {
    const payload = JSON.parse(
      readFileSync(join(projectRoot(), 'cards', `${name}.json`), 'utf8'),
    ) as unknown;
    template = compileTemplate(payload) ?? libraryTemplate(payload);
    compiled.set(name, template);
  }
  return template;
}

function libraryTemplate(payload: unknown): Expander {
  const template = new ACData.Template(payload);
  return { expand: (data) => template.expand({ $root: data }) };
}

/**
 * The templating engine turns a `$when` that is false on a plain object (like `refresh`) into
 * null and leaves an empty array where every item was dropped; Teams expects such properties to be
 * absent, so both are removed.
 */
function prune(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(prune);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (child === null || child === undefined) continue;
    if (Array.isArray(child) && child.length === 0 && key === 'actions') continue;
    out[key] = prune(child);
  }
  return out;
}

/**
 * Expands a template with data built in TypeScript. The data is only ever substituted, never
 * parsed as an expression, so `${…}` inside user text stays literal.
 */
export function expandTemplate(name: TemplateName, data: object): AdaptiveCardJson {
  const expanded: unknown = templateOf(name).expand(data);
  const card = prune(expanded);
  if (card === null || typeof card !== 'object' || Array.isArray(card)) {
    throw new Error(`Template ${name} did not expand to an object`);
  }
  return card as AdaptiveCardJson;
}
