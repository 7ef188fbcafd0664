// Which typed commands count toward COMMANDS_PER_MINUTE. The limit is there against floods that
// read the directory or ask approvers for something (`user`, `users`, `plan`, `restore`, `wipe`);
// `help` and `status` read nothing from the directory and are never limited, so a person who hit
// the limit can still ask how things stand. Anything else (a mistyped or unknown verb) counts too:
// a verb the limiter does not recognise must not be a way around it.
import { sanitiseMessageText } from './sanitise-text';

const FREE_VERBS: ReadonlySet<string> = new Set(['', 'help', 'status']);

/** The message text without the bot's mention, as the parsers get it. */
export function countsTowardRateLimit(text: string): boolean {
  // The whole text, cleaned exactly as the parsers clean it: cutting it first could cut a tag in
  // half and make the limiter see another first word than the parser does.
  const verb = sanitiseMessageText(text).split(' ')[0] ?? '';
  return !FREE_VERBS.has(verb.toLowerCase());
}
