// Card templates live as JSON in the repository's `cards/` folder so they can be previewed in the
// Adaptive Cards designer. They are read once per process and expanded on every render.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ACData from 'adaptivecards-templating';
import { projectRoot } from '../../project-root';

/** An Adaptive Card payload as sent to Teams. */
export type AdaptiveCardJson = Record<string, unknown>;

export type TemplateName = 'request' | 'help';

const cache = new Map<TemplateName, unknown>();

function loadTemplate(name: TemplateName): unknown {
  let template = cache.get(name);
  if (template === undefined) {
    template = JSON.parse(
      readFileSync(join(projectRoot(), 'cards', `${name}.json`), 'utf8'),
    ) as unknown;
    cache.set(name, template);
  }
  return template;
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
  // The engine keeps state on the template instance; a fresh one per render keeps renders
  // independent, and it is cheap next to reading and parsing the file, which is cached.
  const template = new ACData.Template(loadTemplate(name));
  const expanded: unknown = template.expand({ $root: data });
  const card = prune(expanded);
  if (card === null || typeof card !== 'object' || Array.isArray(card)) {
    throw new Error(`Template ${name} did not expand to an object`);
  }
  return card as AdaptiveCardJson;
}
