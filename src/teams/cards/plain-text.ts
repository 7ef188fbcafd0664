// Text that comes from people or from the directory (names, titles, step errors) must reach the
// reader as the characters it is. Adaptive Cards run TextBlock text and FactSet titles/values
// through a Markdown subset, and Teams' mobile renderers do not honour backslash escapes
// consistently (microsoft/AdaptiveCards#5590), so escaping alone would leave links live on phones.
// Instead the syntax is broken up with an invisible WORD JOINER, which no Markdown parser treats
// as whitespace or as part of the syntax, and which readers do not see.
//
// Free text that is long or arbitrary (the reason, step errors) is better rendered in a
// RichTextBlock TextRun, which is never parsed as Markdown; use `plainRun` for that.

const WORD_JOINER = '\u2060';

/** Control characters and line/paragraph separators: they would start new Markdown blocks. */
// eslint-disable-next-line no-control-regex
const LINE_BREAKING = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/** A line that would start a list, heading or quote if Markdown saw it at the start of a line. */
const BLOCK_START = /^(?:[-+*#>]|\d+[.)])/;

/**
 * One line of plain text, safe inside a TextBlock or a Fact: no line breaks, no link, autolink,
 * bold or list syntax left. Characters look the same, except `*` which becomes `∗` (the asterisk
 * operator), because emphasis cannot be broken reliably by invisible characters. `_` is left
 * alone: it is common in UPNs and account names, which people copy from the card, and
 * CommonMark does not treat an underscore inside a word as emphasis.
 */
export function inlinePlain(text: string): string {
  const line = text.replace(LINE_BREAKING, ' ').replace(/ {2,}/g, ' ').trim();
  const inert = line
    .replace(/\*/g, '\u2217')
    .replace(/\]/g, `]${WORD_JOINER}`)
    .replace(/</g, `<${WORD_JOINER}`);
  return BLOCK_START.test(inert) ? `${WORD_JOINER}${inert}` : inert;
}

/**
 * Text for a TextRun: kept as written (TextRuns are not Markdown), only bounded in length so a
 * pasted essay cannot push the card past Teams' size limit, and stripped of control characters
 * other than line breaks.
 */
export function plainRun(text: string, maxLength: number): string {
  // eslint-disable-next-line no-control-regex
  const cleaned = text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, ' ');
  const chars = Array.from(cleaned);
  return chars.length <= maxLength ? cleaned : `${chars.slice(0, maxLength - 1).join('')}…`;
}
