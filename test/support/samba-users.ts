// Test fixtures in the Samba domain, written as Administrator: users, OUs, group membership, and
// reading an account back. Passwords are generated here and returned to the test only; never
// print them or put them in an assertion message.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Attribute, Change, Client, type Entry } from 'ldapts';
import { generateRandomPassword } from '../../src/directory/ldap/random-password';
import { sidFromBuffer } from '../../src/directory/ldap/security-identifier';
import type { SambaDc } from './samba';

export const NORMAL_ACCOUNT = 0x200;
export const ACCOUNTDISABLE = 0x2;
export const DONT_EXPIRE_PASSWORD = 0x10000;
export const SMARTCARD_REQUIRED = 0x40000;

export interface TestUser {
  dn: string;
  cn: string;
  samAccountName: string;
  userPrincipalName: string;
  sid: string;
  password: string;
}

export interface NewUser {
  cn: string;
  samAccountName: string;
  userPrincipalName?: string;
  displayName?: string;
  /** Bits added to NORMAL_ACCOUNT (0x200), e.g. DONT_EXPIRE_PASSWORD. */
  extraUserAccountControl?: number;
  /** Parent container; default CN=Users. */
  parentDn?: string;
}

/** A short random tag so names are unique even in a DC reused across test runs. */
export function runTag(): string {
  return randomBytes(3).toString('hex');
}

export async function withAdmin<T>(dc: SambaDc, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ url: dc.url, tlsOptions: { ca: readFileSync(dc.caFile) } });
  try {
    await client.bind(dc.adminDn, dc.adminPassword);
    return await work(client);
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

export async function createUser(dc: SambaDc, user: NewUser): Promise<TestUser> {
  const dn = `CN=${escapeDnValue(user.cn)},${user.parentDn ?? dc.usersDn}`;
  const upn = user.userPrincipalName ?? `${user.samAccountName}@${dc.realm.toLowerCase()}`;
  const password = generateRandomPassword({ avoid: [user.samAccountName] });
  const enabled = NORMAL_ACCOUNT | (user.extraUserAccountControl ?? 0);
  await withAdmin(dc, async (client) => {
    await client.add(dn, {
      objectClass: ['top', 'person', 'organizationalPerson', 'user'],
      cn: user.cn,
      sAMAccountName: user.samAccountName,
      userPrincipalName: upn,
      displayName: user.displayName ?? user.cn,
      userAccountControl: String(enabled | ACCOUNTDISABLE),
    });
    await client.modify(dn, [replace('unicodePwd', Buffer.from(`"${password}"`, 'utf16le'))]);
    await client.modify(dn, [replace('userAccountControl', String(enabled))]);
  });
  const entry = await readAccount(dc, dn);
  const sid = entry.objectSid;
  if (!Buffer.isBuffer(sid)) throw new Error(`no objectSid on ${dn}`);
  return {
    dn,
    cn: user.cn,
    samAccountName: user.samAccountName,
    userPrincipalName: upn,
    sid: sidFromBuffer(sid),
    password,
  };
}

export async function addToGroup(dc: SambaDc, groupDn: string, memberDn: string): Promise<void> {
  await withAdmin(dc, (client) =>
    client.modify(groupDn, [
      new Change({
        operation: 'add',
        modification: new Attribute({ type: 'member', values: [memberDn] }),
      }),
    ]),
  );
}

export interface AccountState {
  userAccountControl: number;
  pwdLastSet: string;
  keyVersion: number;
  /** Moves on every write to the object: unchanged means nothing was written. */
  usnChanged: string;
  objectSid: Buffer | undefined;
}

export async function readAccount(dc: SambaDc, dn: string): Promise<Entry> {
  return withAdmin(dc, async (client) => {
    const { searchEntries } = await client.search(dn, {
      scope: 'base',
      attributes: [
        'userAccountControl',
        'pwdLastSet',
        'msDS-KeyVersionNumber',
        'uSNChanged',
        'objectSid',
        'sAMAccountName',
      ],
      explicitBufferAttributes: ['objectSid'],
    });
    const entry = searchEntries[0];
    if (!entry) throw new Error(`${dn} not found`);
    return entry;
  });
}

export async function readAccountState(dc: SambaDc, dn: string): Promise<AccountState> {
  const entry = await readAccount(dc, dn);
  return {
    userAccountControl: Number(entry.userAccountControl),
    pwdLastSet: String(entry.pwdLastSet),
    keyVersion: Number(entry['msDS-KeyVersionNumber']),
    usnChanged: String(entry.uSNChanged),
    objectSid: Buffer.isBuffer(entry.objectSid) ? entry.objectSid : undefined,
  };
}

/**
 * Binds as `bindName` (DN or UPN). Resolves when the bind succeeds; otherwise rejects with the
 * ldapts error, whose message carries AD's reason ("data 533" = disabled, "data 52e" = bad
 * password). The password never appears in that error.
 */
export async function bindAs(dc: SambaDc, bindName: string, password: string): Promise<void> {
  const client = new Client({ url: dc.url, tlsOptions: { ca: readFileSync(dc.caFile) } });
  try {
    await client.bind(bindName, password);
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

function replace(type: string, value: string | Buffer): Change {
  const values: Buffer[] | string[] = typeof value === 'string' ? [value] : [value];
  return new Change({ operation: 'replace', modification: new Attribute({ type, values }) });
}

/** RFC 4514 escaping for one RDN value. */
export function escapeDnValue(value: string): string {
  return value
    .replace(/[\\,+"<>;=]/g, (c) => `\\${c}`)
    .replace(/^[ #]/, (c) => `\\${c}`)
    .replace(/ $/, '\\ ');
}
