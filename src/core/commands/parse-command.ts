// Turns the text of a message addressed to the bot into a command. The text is untrusted: it can
// be any length, contain markup, look-alike characters or control characters. Anything that is
// not exactly a well-formed command is refused with a message that says how to write it.
import { RequestRefused } from '../errors';
import { sanitiseMessageText } from './sanitise-text';
import type { RevocationOptions, RevocationProfile } from '../model';
import { parseRequestOptions } from './parse-options';
import { isBatchId } from '../batch/batch-model';
import { BATCH_HELP } from '../batch/batch-usage';
import { CommandRefused } from './command-refused';
import { usageLine, type CommandHelp } from './usage-line';

/** Absent profile and options mean the defaults: termination, no optional steps. */
interface HowToRevoke {
  profile?: RevocationProfile;
  options?: RevocationOptions;
}

export type Command =
  | { kind: 'help' }
  | ({ kind: 'revoke'; target: string; reason: string } & HowToRevoke)
  | ({ kind: 'plan'; target: string } & HowToRevoke)
  | { kind: 'restore'; requestId: string; reason: string }
  | { kind: 'wipe'; requestId: string }
  | { kind: 'status'; requestId: string }
  | { kind: 'batchStatus'; batchId: string };

export const MAX_MESSAGE_LENGTH = 2_000;
export const MAX_REASON_LENGTH = 500;
export const MIN_REASON_LENGTH = 3;

/** The commands, in the order help lists them. */
export const COMMAND_HELP: readonly CommandHelp[] = [
  {
    syntax: ['user <upn-or-email> [options] <reason>'],
    what: 'ask for an emergency revocation of all access of that user (needs approval)',
  },
  {
    syntax: ['plan user <upn-or-email> [options]'],
    what: 'show what the user command would change (a dry run: nothing is saved or changed)',
  },
  {
    syntax: ['restore <request-id> <reason>'],
    what: 'after a false alarm, ask to re-enable what that revocation disabled (needs approval; the password is not restored)',
  },
  {
    syntax: ['wipe <request-id> confirm'],
    what: 'ask to factory-reset the Intune devices of that revoked user (needs its own approval; all data on the devices is erased and cannot be recovered)',
  },
  BATCH_HELP,
  {
    syntax: ['status <request-id>', 'status <batch-id>'],
    what: 'show the current state of a request or of a batch',
  },
  { syntax: ['help'], what: 'this message' },
];

/** The options of `user` and `plan user`. */
export const OPTION_HELP: readonly CommandHelp[] = [
  {
    syntax: ['--profile compromised', '--compromised'],
    what: 'also confirms the account compromised, removes MFA methods added recently and apps the user consented to',
  },
  { syntax: ['--retire-devices'], what: 'retires their Intune devices' },
];

export const USAGE_EXAMPLE = 'user alice@contoso.com --compromised Phished via fake invoice';

/** The same list as text, appended to refusals. */
export const USAGE = [
  'Usage:',
  ...COMMAND_HELP.map(usageLine),
  `Options: ${OPTION_HELP.map((option) => usageLine(option).slice(2)).join('; ')}`,
  `Example: \`${USAGE_EXAMPLE}\``,
].join('\n');

// Entra ID allows letters, digits and ' . - _ ! # ^ ~ in the local part of a UPN; mail addresses
// add a few more. ASCII only on purpose: a look-alike letter from another script must not be
// taken for the user it imitates.
const LOCAL_PART = /^[A-Za-z0-9.'_!#^~+\-&=?{}|$%`*/]{1,64}$/;
const DOMAIN = /^(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;
const REQUEST_ID = /^R-[0-9A-HJKMNP-TV-Z]{8}$/;

export function parseCommand(rawText: string): Command {
  if (rawText.length > MAX_MESSAGE_LENGTH) {
    throw refuse(`That message is too long (over ${MAX_MESSAGE_LENGTH} characters).`);
  }
  const text = sanitiseMessageText(rawText);
  const [verb = '', ...rest] = text.split(' ').filter((word) => word.length > 0);
  switch (verb.toLowerCase()) {
    case '':
    case 'help':
      return { kind: 'help' };
    case 'user':
      return parseRevoke(rest);
    case 'status':
      return parseStatus(rest);
    case 'plan':
      return parsePlan(rest);
    case 'restore':
      return parseRestore(rest);
    case 'wipe':
      return parseWipe(rest);
    default:
      throw refuse(`I don't know the command ${echo(verb, 40)}.`);
  }
}

function parseRevoke(words: string[]): Command {
  const [address, ...afterAddress] = words;
  if (address === undefined)
    throw refuse(
      'Say whose access to revoke: `user`, then their UPN or e-mail address, then the reason.',
    );
  const target = normaliseAddress(address);
  const parsed = parseRequestOptions(afterAddress);
  if ('error' in parsed) throw refuse(parsed.error);
  const reason = parsed.rest.join(' ').trim();
  if (reason.length < MIN_REASON_LENGTH) {
    throw refuse('A reason is required, so approvers know why: write it after the address.');
  }
  if (reason.length > MAX_REASON_LENGTH) {
    throw refuse(`The reason is too long: keep it under ${MAX_REASON_LENGTH} characters.`);
  }
  return { kind: 'revoke', target, reason, ...howToRevoke(parsed) };
}

function howToRevoke(parsed: HowToRevoke): HowToRevoke {
  const how: HowToRevoke = {};
  if (parsed.profile) how.profile = parsed.profile;
  if (parsed.options) how.options = parsed.options;
  return how;
}

function parsePlan(words: string[]): Command {
  const [subject, address, ...afterAddress] = words;
  if (subject?.toLowerCase() !== 'user' || address === undefined)
    throw refuse(
      "Usage: `plan user` followed by the user's UPN or e-mail address, then any options.",
    );
  const target = normaliseAddress(address);
  const parsed = parseRequestOptions(afterAddress);
  if ('error' in parsed) throw refuse(parsed.error);
  // A dry run has no reason: extra words are more likely a mistyped option than meant.
  if (parsed.rest.length > 0)
    throw refuse(
      'A dry run takes no reason: `plan user`, then the UPN or e-mail address, then any options.',
    );
  return { kind: 'plan', target, ...howToRevoke(parsed) };
}

function parseRestore(words: string[]): Command {
  const [id, ...reasonWords] = words;
  if (id === undefined)
    throw refuse('Usage: `restore` followed by the request id, then the reason.');
  const requestId = parseRequestId(id);
  const reason = reasonWords.join(' ').trim();
  if (reason.length < MIN_REASON_LENGTH)
    throw refuse('Say why, so approvers know: write the reason after the request id.');
  if (reason.length > MAX_REASON_LENGTH)
    throw refuse(`The reason is too long: keep it under ${MAX_REASON_LENGTH} characters.`);
  return { kind: 'restore', requestId, reason };
}

/** The word a wipe must carry: nothing else is taken for consent to erase a device. */
export const WIPE_CONFIRMATION = 'confirm';

export const WIPE_WARNING =
  'A wipe is a factory reset: it erases all data on the devices, company and personal alike, and that data cannot be recovered.';

function parseWipe(words: string[]): Command {
  const [id, confirmation, ...extra] = words;
  if (id === undefined) throw refuse('Usage: `wipe` followed by the request id, then `confirm`.');
  const requestId = parseRequestId(id);
  // Exactly the word, exactly once: "confirmed", "yes" or a reason are not consent to erase.
  if (confirmation !== WIPE_CONFIRMATION || extra.length > 0) {
    throw new RequestRefused(
      'wipe_unconfirmed',
      `Not asked: ${WIPE_WARNING} If that is what you want, send exactly \`wipe ${requestId} ${WIPE_CONFIRMATION}\`. The wipe then needs its own approval.`,
    );
  }
  return { kind: 'wipe', requestId };
}

function parseStatus(words: string[]): Command {
  const [id, ...extra] = words;
  if (id === undefined || extra.length > 0)
    throw refuse('Usage: `status` followed by the request id.');
  if (isBatchId(id.toUpperCase())) return { kind: 'batchStatus', batchId: id.toUpperCase() };
  return { kind: 'status', requestId: parseRequestId(id) };
}

function parseRequestId(id: string): string {
  const requestId = id.toUpperCase();
  if (!REQUEST_ID.test(requestId)) {
    throw refuse(`${echo(id, 40)} is not a request id (they look like R-7K3Q9MXA).`);
  }
  return requestId;
}

export function normaliseAddress(word: string): string {
  const address = word.replace(/^mailto:/i, '');
  const at = address.lastIndexOf('@');
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (at <= 0 || address.indexOf('@') !== at || !LOCAL_PART.test(local) || !DOMAIN.test(domain)) {
    throw refuse(
      `${echo(word, 80)} is not a valid user principal name or e-mail address (like alice@contoso.com).`,
    );
  }
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) {
    throw refuse(`${echo(word, 80)} is not a valid user principal name or e-mail address.`);
  }
  return `${local}@${domain.toLowerCase()}`;
}

export function isRequestId(value: string): boolean {
  return REQUEST_ID.test(value);
}

function refuse(message: string): RequestRefused {
  return new CommandRefused(message, USAGE);
}

/**
 * The sender's own word, quoted back in a code span: Teams renders replies as Markdown, and a
 * refusal that repeated `[Sign in](https://…)` verbatim would show a live link in the bot's voice.
 * A backtick inside would end the span early, so it is replaced by a look-alike quote.
 */
function echo(word: string, max: number): string {
  return `\`${truncate(word, max).replace(/`/g, '\u02cb')}\``;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
