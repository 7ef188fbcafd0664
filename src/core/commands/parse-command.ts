// Turns the text of a message addressed to the bot into a command. The text is untrusted: it can
// be any length, contain markup, look-alike characters or control characters. Anything that is
// not exactly a well-formed command is refused with a message that says how to write it.
import { RequestRefused } from '../errors';
import { sanitiseMessageText } from './sanitise-text';

export type Command =
  | { kind: 'help' }
  | { kind: 'revoke'; target: string; reason: string }
  | { kind: 'status'; requestId: string };

export const MAX_MESSAGE_LENGTH = 2_000;
export const MAX_REASON_LENGTH = 500;
export const MIN_REASON_LENGTH = 3;

export const USAGE = [
  'Usage:',
  '• `user <upn-or-email> <reason>`: ask for an emergency revocation of all access of that user (needs approval)',
  '• `status <request-id>`: show the current state of a request',
  '• `help`: this message',
  'Example: `user alice@contoso.com Phished via fake invoice`',
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
    default:
      throw refuse(`I don't know the command "${truncate(verb, 40)}".`);
  }
}

function parseRevoke(words: string[]): Command {
  const [address, ...reasonWords] = words;
  if (address === undefined)
    throw refuse('Say whose access to revoke: `user <upn-or-email> <reason>`.');
  const target = normaliseAddress(address);
  const reason = reasonWords.join(' ').trim();
  if (reason.length < MIN_REASON_LENGTH) {
    throw refuse('A reason is required, so approvers know why: `user <upn-or-email> <reason>`.');
  }
  if (reason.length > MAX_REASON_LENGTH) {
    throw refuse(`The reason is too long: keep it under ${MAX_REASON_LENGTH} characters.`);
  }
  return { kind: 'revoke', target, reason };
}

function parseStatus(words: string[]): Command {
  const [id, ...extra] = words;
  if (id === undefined || extra.length > 0) throw refuse('Usage: `status <request-id>`.');
  const requestId = id.toUpperCase();
  if (!REQUEST_ID.test(requestId)) {
    throw refuse(`"${truncate(id, 40)}" is not a request id (they look like R-7K3Q9MXA).`);
  }
  return { kind: 'status', requestId };
}

export function normaliseAddress(word: string): string {
  const address = word.replace(/^mailto:/i, '');
  const at = address.lastIndexOf('@');
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (at <= 0 || address.indexOf('@') !== at || !LOCAL_PART.test(local) || !DOMAIN.test(domain)) {
    throw refuse(
      `"${truncate(word, 80)}" is not a valid user principal name or e-mail address (like alice@contoso.com).`,
    );
  }
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) {
    throw refuse(`"${truncate(word, 80)}" is not a valid user principal name or e-mail address.`);
  }
  return `${local}@${domain.toLowerCase()}`;
}

export function isRequestId(value: string): boolean {
  return REQUEST_ID.test(value);
}

function refuse(message: string): RequestRefused {
  return new RequestRefused('bad_command', `${message}\n\n${USAGE}`);
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
