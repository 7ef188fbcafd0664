// Card templates live as JSON in the repository's `cards/` folder so they can be previewed in the
// Adaptive Cards designer. They are read and compiled once per process and expanded on every render.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ACData from 'adaptivecards-templating';
import { projectRoot } from '../../project-root';
import { compileTemplate } from './compiled-template';
import { pruneCard } from './prune-card';

/** An Adaptive Card payload as sent to Teams. */
export type AdaptiveCardJson = Record<string, unknown>;

export type TemplateName = 'request' | 'help';

/** Either engine, as far as a render is concerned: the card as Teams gets it (pruneCard). */
interface Expander {
  expandPruned(data: unknown): unknown;
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
  return { expandPruned: (data) => pruneCard(template.expand({ $root: data })) };
}

/**
 * Expands a template with data built in TypeScript. The data is only ever substituted, never
 * parsed as an expression, so `${…}` inside user text stays literal.
 */
export function expandTemplate(name: TemplateName, data: object): AdaptiveCardJson {
  const card: unknown = templateOf(name).expandPruned(data);
  if (card === null || typeof card !== 'object' || Array.isArray(card)) {
    throw new Error(`Template ${name} did not expand to an object`);
  }
  return card as AdaptiveCardJson;
}
