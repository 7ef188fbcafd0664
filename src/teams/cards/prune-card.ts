// The templating engine turns a `$when` that is false on a plain object (like `refresh`) into null
// and leaves an empty array where every item was dropped; Teams expects such properties to be
// absent, so both are removed from an expanded card.

/** Whether a property of a card object is left out: null, undefined, or `actions` left empty. */
export function dropsFromCard(key: string, value: unknown): boolean {
  return (
    value === null ||
    value === undefined ||
    (key === 'actions' && Array.isArray(value) && value.length === 0)
  );
}

/** A copy of `value` without what dropsFromCard leaves out, at any depth (array items are kept). */
export function pruneCard(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pruneCard);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const child = (value as Record<string, unknown>)[key];
    if (!dropsFromCard(key, child)) out[key] = pruneCard(child);
  }
  return out;
}
