// Random passwords for emergency resets. Nobody ever types or sees them: they only have to be
// long, unpredictable and acceptable to AD's complexity policy.
import { randomInt } from 'node:crypto';

export const PASSWORD_LENGTH = 48;

export const PASSWORD_CHARACTER_CLASSES = {
  upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  lower: 'abcdefghijklmnopqrstuvwxyz',
  digit: '0123456789',
  // No quote or backslash (unicodePwd wraps the value in quotes; tools choke on escapes), no
  // space, nothing outside ASCII.
  symbol: '!#$%()*+,-./:;=?@[]^_{|}~',
} as const;

export const PASSWORD_ALPHABET = Object.values(PASSWORD_CHARACTER_CLASSES).join('');

/** Returns an integer in [0, bound), uniformly. */
export type RandomIndex = (bound: number) => number;

export interface PasswordOptions {
  length?: number;
  /** Strings the password must not contain, compared case-insensitively (AD's name rule). */
  avoid?: readonly string[];
  /** Defaults to crypto.randomInt, which rejects out-of-range draws instead of using modulo. */
  randomIndex?: RandomIndex;
}

const MAX_ATTEMPTS = 1000;

/**
 * Draws each character uniformly from the alphabet and starts again whenever a character class
 * is missing or a forbidden name appears, so the result is uniform over the acceptable
 * passwords (forcing one character per class into fixed positions would not be).
 */
export function generateRandomPassword(options: PasswordOptions = {}): string {
  const length = options.length ?? PASSWORD_LENGTH;
  const randomIndex = options.randomIndex ?? randomInt;
  if (length < 32) throw new RangeError('a reset password must be at least 32 characters');
  const avoid = (options.avoid ?? []).map((word) => word.toLowerCase()).filter(Boolean);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    let candidate = '';
    for (let i = 0; i < length; i++) {
      candidate += PASSWORD_ALPHABET.charAt(randomIndex(PASSWORD_ALPHABET.length));
    }
    if (hasEveryClass(candidate) && !containsAny(candidate.toLowerCase(), avoid)) return candidate;
  }
  throw new Error('could not generate an acceptable random password');
}

export function hasEveryClass(password: string): boolean {
  return Object.values(PASSWORD_CHARACTER_CLASSES).every((characters) =>
    [...password].some((c) => characters.includes(c)),
  );
}

function containsAny(haystack: string, needles: readonly string[]): boolean {
  return needles.some((needle) => haystack.includes(needle));
}

/**
 * What AD's complexity rule forbids in a user's password: the whole sAMAccountName, and every
 * displayName token of three or more characters (tokens split at , . - _ # tabs and spaces).
 */
export function namesToAvoid(samAccountName: string, displayName?: string): string[] {
  const names: string[] = [];
  if (samAccountName.length >= 3) names.push(samAccountName);
  for (const token of (displayName ?? '').split(/[,.\-_#\t ]+/)) {
    if (token.length >= 3) names.push(token);
  }
  return names;
}

/** The value AD expects in unicodePwd: the password in double quotes, as UTF-16LE. */
export function encodeUnicodePwd(password: string): Buffer {
  return Buffer.from(`"${password}"`, 'utf16le');
}
