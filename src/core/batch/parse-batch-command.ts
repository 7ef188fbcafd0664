// `users <upn> <upn> … <reason>` and the CSV file that may come with it. Both are untrusted: a
// list can repeat people, hold things that are not addresses, or be far longer than anyone should
// revoke in one go. Addresses are kept (duplicates once), non-addresses are listed for the card,
// and anything over the limit refuses the whole command rather than silently dropping people.
import { RequestRefused } from '../errors';
import { MAX_REASON_LENGTH, MIN_REASON_LENGTH, normaliseAddress } from '../commands/parse-command';
import { sanitiseMessageText } from '../commands/sanitise-text';
import { CommandRefused } from '../commands/command-refused';
import { BATCH_USAGE } from './batch-usage';

export { BATCH_USAGE };

export const MAX_BATCH_TARGETS = 1_000;
/** 1,000 addresses of ~40 characters and a reason fit; more is not a command. */
export const MAX_BATCH_MESSAGE_LENGTH = 60_000;
/** Lines of a CSV that are not blank: generous for headers and comments, bounded for parsing. */
const MAX_CSV_LINES = 5_000;
const MAX_MALFORMED_KEPT = 50;

export interface BatchTargets {
  /** Normalised addresses, each once, in the order first given. */
  targets: string[];
  /** Entries that are not addresses (at most 50 kept, each shortened). */
  malformed: string[];
  /** How many entries repeated an address already listed. */
  duplicates: number;
}

export interface BatchCommand extends BatchTargets {
  reason: string;
}

/** True when the (mention-free) message is a `users` command, so the batch path takes it. */
export function isBatchCommand(rawText: string): boolean {
  return /^\s*users(\s|$)/i.test(sanitiseMessageText(rawText.slice(0, 200)));
}

/** `csv` is the text of an attached file, when there was one. */
export function parseBatchCommand(rawText: string, csv?: string): BatchCommand {
  if (rawText.length > MAX_BATCH_MESSAGE_LENGTH) {
    throw refuse(`That message is too long (over ${MAX_BATCH_MESSAGE_LENGTH} characters).`);
  }
  const words = sanitiseMessageText(rawText)
    .split(/[\s,;]+/)
    .filter((word) => word.length > 0);
  if (words[0]?.toLowerCase() !== 'users') throw refuse('A batch starts with `users`.');
  const rest = words.slice(1);
  // The reason is what follows the last word that looks like an address.
  let last = -1;
  rest.forEach((word, index) => {
    if (word.includes('@')) last = index;
  });
  const entries = rest.slice(0, last + 1);
  const reason = rest
    .slice(last + 1)
    .join(' ')
    .trim();
  const collected = collect([...entries, ...(csv === undefined ? [] : csvEntries(csv))]);
  if (collected.targets.length === 0) {
    throw refuse(
      collected.malformed.length > 0
        ? `None of the entries is a user principal name or e-mail address (first: "${collected.malformed[0]}").`
        : 'Say whose access to revoke: `users`, then their UPNs, then the reason; or attach a CSV of UPNs.',
    );
  }
  if (reason.length < MIN_REASON_LENGTH) {
    throw refuse('A reason is required after the addresses, so approvers know why.');
  }
  if (reason.length > MAX_REASON_LENGTH) {
    throw refuse(`The reason is too long: keep it under ${MAX_REASON_LENGTH} characters.`);
  }
  return { ...collected, reason };
}

/** One address per line; a line may be a CSV row, whose first field is taken. */
export function csvEntries(text: string): string[] {
  const lines = text.replace(/^\ufeff/, '').split(/\r\n|\r|\n/);
  const entries: string[] = [];
  for (const line of lines) {
    const field = (line.split(/[,;\t]/)[0] ?? '')
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .trim();
    if (field === '' || field.startsWith('#')) continue;
    // A header row ("upn", "userPrincipalName", "mail") names a column, not a person.
    if (entries.length === 0 && !field.includes('@') && /^[a-z ]{2,40}$/i.test(field)) continue;
    entries.push(field);
    if (entries.length > MAX_CSV_LINES) {
      throw refuse(
        `The file has more than ${MAX_CSV_LINES} lines; at most ${MAX_BATCH_TARGETS} users.`,
      );
    }
  }
  return entries;
}

function collect(entries: readonly string[]): BatchTargets {
  const seen = new Set<string>();
  const targets: string[] = [];
  const malformed: string[] = [];
  let duplicates = 0;
  for (const entry of entries) {
    let address: string;
    try {
      address = normaliseAddress(sanitiseMessageText(entry));
    } catch (error) {
      if (!(error instanceof RequestRefused)) throw error;
      if (malformed.length < MAX_MALFORMED_KEPT) malformed.push(shorten(entry));
      continue;
    }
    // Entra ID compares UPNs without regard to case.
    const key = address.toLowerCase();
    if (seen.has(key)) {
      duplicates++;
      continue;
    }
    seen.add(key);
    targets.push(address);
    if (targets.length > MAX_BATCH_TARGETS) {
      throw refuse(
        `That is more than ${MAX_BATCH_TARGETS} users. Split the list into batches of at most ${MAX_BATCH_TARGETS}.`,
      );
    }
  }
  return { targets, malformed, duplicates };
}

function shorten(entry: string): string {
  const plain = sanitiseMessageText(entry);
  return plain.length <= 60 ? plain : `${plain.slice(0, 60)}…`;
}

function refuse(message: string): RequestRefused {
  return new CommandRefused(message, BATCH_USAGE);
}
