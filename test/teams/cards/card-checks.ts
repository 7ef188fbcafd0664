// Helpers for the card tests: a schema-level parse with the Adaptive Cards SDK and small
// accessors over the card JSON.
//
// The `adaptivecards` package's `main` is an ES-module build with extensionless imports that
// Node cannot load, so the tests load its UMD bundle (dist/), which parses cards without a DOM.
import { createRequire } from 'node:module';
import type * as AdaptiveCards from 'adaptivecards';
import type { AdaptiveCardJson } from '../../../src/teams/cards/render-request-card';

const load = createRequire(__filename);
const AC = load('adaptivecards/dist/adaptivecards.js') as typeof AdaptiveCards;

/** Parse and validation problems the SDK reports for the card; empty when it is well formed. */
export function adaptiveCardsProblems(card: AdaptiveCardJson): string[] {
  const context = new AC.SerializationContext();
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card, context);
  const problems: string[] = [];
  for (let i = 0; i < context.eventCount; i++) problems.push(context.getEventAt(i).message);
  for (const event of parsed.validateProperties().validationEvents) problems.push(event.message);
  return problems;
}

type Json = unknown;

function walk(node: Json, visit: (obj: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) {
    node.forEach((child) => walk(child, visit));
  } else if (node !== null && typeof node === 'object') {
    const obj = node as Record<string, unknown>;
    visit(obj);
    Object.values(obj).forEach((child) => walk(child, visit));
  }
}

/** Every element or inline of the given type, in document order. */
export function elementsOfType(card: AdaptiveCardJson, type: string): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  walk(card.body, (obj) => {
    if (obj.type === type) found.push(obj);
  });
  return found;
}

/** Texts that Teams runs through Markdown: TextBlock text and Fact titles and values. */
export function markdownTexts(card: AdaptiveCardJson): string[] {
  const texts: string[] = [];
  for (const block of elementsOfType(card, 'TextBlock')) texts.push(String(block.text));
  for (const set of elementsOfType(card, 'FactSet')) {
    for (const fact of set.facts as { title: string; value: string }[]) {
      texts.push(fact.title, fact.value);
    }
  }
  return texts;
}

/** Each RichTextBlock's runs joined: one string per visual line. */
export function richLines(card: AdaptiveCardJson): string[] {
  return elementsOfType(card, 'RichTextBlock').map((block) =>
    (block.inlines as { text: string }[]).map((run) => run.text).join(''),
  );
}

/** All visible text of the card: what a reader could see. */
export function allTexts(card: AdaptiveCardJson): string[] {
  return [...markdownTexts(card), ...richLines(card)];
}

export function facts(card: AdaptiveCardJson): Record<string, string> {
  const out: Record<string, string> = {};
  for (const set of elementsOfType(card, 'FactSet')) {
    for (const fact of set.facts as { title: string; value: string }[])
      out[fact.title] = fact.value;
  }
  return out;
}

export interface ExecuteAction {
  type: string;
  title: string;
  verb: string;
  style?: string;
  data: unknown;
}

export function actions(card: AdaptiveCardJson): ExecuteAction[] {
  return (card.actions as ExecuteAction[] | undefined) ?? [];
}
