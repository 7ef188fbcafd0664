// One command as help shows it: what to type (one or more ways to write it) and what it does.
// Kept as data so the Teams edge can lay it out as a card, where `<reason>` is plain text, while
// refusals still append the same list as text. No imports: batch-usage.ts and parse-command.ts
// both use it, and must not import each other.

export interface CommandHelp {
  /** What to type; several entries are alternatives ("`a` or `b`"). */
  syntax: readonly string[];
  what: string;
}

/** "• `syntax`: what", as a line of a text reply. */
export function usageLine(help: CommandHelp): string {
  return `• ${help.syntax.map((s) => `\`${s}\``).join(' or ')}: ${help.what}`;
}
