// Reading a card the way a person does: its words, and the buttons it offers.

/** Everything a person can read on a card, as one string. */
export function cardText(card: unknown): string {
  const parts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if ((key === 'text' || key === 'title' || key === 'value') && typeof value === 'string')
          parts.push(value);
        else walk(value);
      }
    }
  };
  walk(card);
  return parts.join(' | ');
}

/** The card's top-level actions with their verbs and data. */
export function cardActions(
  card: Record<string, unknown> | undefined,
): { verb: string; data: unknown }[] {
  const actions = (card?.actions ?? []) as { verb?: string; data?: unknown }[];
  return actions.map((a) => ({ verb: a.verb ?? '', data: a.data }));
}
