// Teams delivers message text with some HTML in it (links around e-mail addresses, non-breaking
// spaces, paragraph tags). Reduce it to plain words before parsing, and drop characters that
// could hide or reorder text when it is shown again on a card.

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

// Control characters (tabs, line breaks, bells) separate words like spaces do.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
// Zero-width characters and bidirectional overrides are invisible in Teams: they would make an
// address that looks like "alice@contoso.com" differ from it, or flip text shown on a card.
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

export function sanitiseMessageText(text: string): string {
  return decodeEntities(text.replace(/<[^>]{0,500}>/g, ' '))
    .replace(CONTROL, ' ')
    .replace(INVISIBLE, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8});/gi, (whole, name: string) => {
    const lower = name.toLowerCase();
    if (lower.startsWith('#x')) return fromCodePoint(parseInt(lower.slice(2), 16), whole);
    if (lower.startsWith('#')) return fromCodePoint(parseInt(lower.slice(1), 10), whole);
    return ENTITIES[lower] ?? whole;
  });
}

function fromCodePoint(codePoint: number, fallback: string): string {
  return codePoint > 0 && codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : fallback;
}
