// Search filters and attribute reading for user accounts. Filters are built as ldapts filter
// objects, which are BER-encoded value by value: a name holding ( ) * \ or ' is compared as it
// is and can never widen the search.
import { AndFilter, EqualityFilter, type Entry, type Filter } from 'ldapts';
import type { OnPremAccount, OnPremAccountRef } from '../../core/ports';
import { DirectoryError } from '../../core/errors';
import { sidToBuffer } from './security-identifier';
import { isDisabled } from './user-account-control';

export const ACCOUNT_ATTRIBUTES = [
  'sAMAccountName',
  'userPrincipalName',
  'displayName',
  'userAccountControl',
  'pwdLastSet',
  'objectSid',
];

/** Attributes ldapts must hand back as bytes rather than text. */
export const BINARY_ATTRIBUTES = ['objectSid'];

/** People only: computers are users too (objectClass=user) but not persons. */
export function userObjectFilter(): Filter[] {
  return [
    new EqualityFilter({ attribute: 'objectCategory', value: 'person' }),
    new EqualityFilter({ attribute: 'objectClass', value: 'user' }),
  ];
}

export interface AccountQuery {
  filter: Filter;
  /** What was searched for, safe to show (no secrets in an account reference). */
  description: string;
}

/**
 * The SID wins when present: it never changes and is never reused, whereas a name can be
 * renamed or given to somebody else. There is deliberately no fallback from one identifier to
 * another: if the SID is not found, a same-named account is not assumed to be the same person.
 */
export function accountQuery(ref: OnPremAccountRef): AccountQuery {
  const [attribute, value, description] = chooseIdentifier(ref);
  return {
    filter: new AndFilter({
      filters: [...userObjectFilter(), new EqualityFilter({ attribute, value })],
    }),
    description,
  };
}

function chooseIdentifier(ref: OnPremAccountRef): [string, string | Buffer, string] {
  const sid = ref.securityIdentifier?.trim();
  if (sid) {
    const binary = sidToBuffer(sid);
    if (!binary) {
      throw new DirectoryError('rejected', `"${sid}" is not a security identifier (S-1-…)`, {
        code: 'invalid_sid',
      });
    }
    return ['objectSid', binary, `objectSid ${sid}`];
  }
  const sam = ref.samAccountName?.trim();
  if (sam) return ['sAMAccountName', sam, `sAMAccountName "${sam}"`];
  const upn = ref.userPrincipalName?.trim();
  if (upn) return ['userPrincipalName', upn, `userPrincipalName "${upn}"`];
  throw new DirectoryError(
    'rejected',
    'no on-premises identifier (SID, sAMAccountName or UPN) to find the account by',
    { code: 'no_identifier' },
  );
}

export function toOnPremAccount(entry: Entry): OnPremAccount {
  const userAccountControl = readUserAccountControl(entry);
  return {
    dn: entry.dn,
    samAccountName: readText(entry, 'sAMAccountName') ?? '',
    userAccountControl,
    disabled: isDisabled(userAccountControl),
    pwdLastSet: readText(entry, 'pwdLastSet') ?? '0',
  };
}

export function readUserAccountControl(entry: Entry): number {
  const raw = readText(entry, 'userAccountControl');
  const value = raw === undefined ? NaN : Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new DirectoryError('rejected', `${entry.dn} has no readable userAccountControl`, {
      code: 'unreadable_user_account_control',
      advice: 'The bind account must be able to read userAccountControl of the users.',
    });
  }
  return value;
}

/** The first value of a text attribute; ldapts returns a string or an array of strings. */
export function readText(entry: Entry, attribute: string): string | undefined {
  const key = Object.keys(entry).find((k) => k.toLowerCase() === attribute.toLowerCase());
  if (key === undefined) return undefined;
  const value = entry[key];
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined) return undefined;
  return Buffer.isBuffer(first) ? first.toString('utf8') : first;
}

export function readBinary(entry: Entry, attribute: string): Buffer | undefined {
  const key = Object.keys(entry).find((k) => k.toLowerCase() === attribute.toLowerCase());
  if (key === undefined) return undefined;
  const value = entry[key];
  const first = Array.isArray(value) ? value[0] : value;
  return Buffer.isBuffer(first) ? first : undefined;
}
