// The adapter against a scripted stand-in for the ldapts client: what it sends, and what it
// refuses to do. The behaviour against a real directory is in samba-ad.integration.test.ts.
import { strict as assert } from 'node:assert';
import type { ConnectionOptions } from 'node:tls';
import {
  InsufficientAccessError,
  type Change,
  type ClientOptions,
  type Entry,
  type SearchOptions,
} from 'ldapts';
import sinon from 'sinon';
import { DirectoryError } from '../../../src/core/errors';
import { LdapOnPremDirectory } from '../../../src/directory/ldap/ldap-on-prem-directory';
import type { LdapClient } from '../../../src/directory/ldap/ldap-session';
import type { LdapDirectoryConfig } from '../../../src/directory/ldap/ldap-directory-config';

const BASE: LdapDirectoryConfig = {
  url: 'ldaps://dc1.contoso.test',
  bindDn: 'CN=svc-revoke,OU=Service,DC=contoso,DC=test',
  bindPassword: 'bind-secret-Xq7!',
  baseDn: 'DC=contoso,DC=test',
};
const DN = "CN=O'Hara\\, Owen (x)*,CN=Users,DC=contoso,DC=test";
const SECRET = 'Zz9!not-really-random-but-recognisable-password-123';

class FakeClient implements LdapClient {
  readonly searches: { base: string; options: SearchOptions | undefined }[] = [];
  readonly modifies: { dn: string; changes: Change[] }[] = [];
  readonly startTlsOptions: ConnectionOptions[] = [];
  binds = 0;
  unbinds = 0;
  modifyError: Error | undefined;

  constructor(private readonly answer: (base: string, options?: SearchOptions) => Entry[]) {}

  async startTLS(options?: ConnectionOptions): Promise<void> {
    const given = options ?? {};
    this.startTlsOptions.push({ ...given });
    (given as { socket?: unknown }).socket = 'mutated';
  }
  async bind(): Promise<void> {
    this.binds++;
  }
  async search(base: string | object, options?: SearchOptions) {
    this.searches.push({ base: String(base), options });
    return { searchEntries: this.answer(String(base), options), searchReferences: [] };
  }
  async modify(dn: string | object, changes: Change | Change[]): Promise<void> {
    this.modifies.push({ dn: String(dn), changes: Array.isArray(changes) ? changes : [changes] });
    if (this.modifyError) throw this.modifyError;
  }
  async unbind(): Promise<void> {
    this.unbinds++;
  }
}

function userEntry(overrides: Partial<Entry> = {}): Entry {
  return {
    dn: DN,
    sAMAccountName: 'ohara',
    displayName: "Owen O'Hara",
    userAccountControl: '66048',
    pwdLastSet: '133000000000000000',
    ...overrides,
  };
}

function directory(client: FakeClient, config: Partial<LdapDirectoryConfig> = {}) {
  const created: ClientOptions[] = [];
  const dir = new LdapOnPremDirectory(
    { ...BASE, ...config },
    {
      createClient: (options) => {
        created.push(options);
        return client;
      },
      generatePassword: () => SECRET,
    },
  );
  return { dir, created };
}

describe('LdapOnPremDirectory (scripted client)', () => {
  afterEach(() => sinon.restore());

  it('refuses an ambiguous lookup and names the candidates', async () => {
    const client = new FakeClient(() => [
      userEntry(),
      userEntry({ dn: 'CN=Other,DC=contoso,DC=test' }),
    ]);
    const { dir } = directory(client);
    const error = await dir
      .findAccount({ userPrincipalName: 'owen@contoso.test' })
      .catch((e: unknown) => e);
    assert.ok(error instanceof DirectoryError);
    assert.equal(error.kind, 'rejected');
    assert.equal(error.code, 'ambiguous');
    assert.match(error.message, /CN=Other/);
    assert.equal(client.unbinds, 1);
  });

  it('searches people only, for the exact value, from the base DN', async () => {
    const client = new FakeClient(() => [userEntry()]);
    const { dir } = directory(client);
    const account = await dir.findAccount({ samAccountName: "o'hara(x)*" });
    assert.equal(account?.dn, DN);
    assert.equal(account?.disabled, false);
    assert.equal(account?.userAccountControl, 66048);
    const [search] = client.searches;
    assert.equal(search?.base, BASE.baseDn);
    assert.equal(
      String(search?.options?.filter),
      "(&(objectCategory=person)(objectClass=user)(sAMAccountName=o'hara\\28x\\29\\2a))",
    );
  });

  it('prefers the SID and does not fall back to a name when the SID is not found', async () => {
    const client = new FakeClient(() => []);
    const { dir } = directory(client);
    const account = await dir.findAccount({
      securityIdentifier: 'S-1-5-21-1-2-3-1104',
      samAccountName: 'ohara',
    });
    assert.equal(account, undefined);
    assert.equal(client.searches.length, 1);
    assert.match(String(client.searches[0]?.options?.filter), /objectSid=/);
  });

  it('refuses a lookup with no identifier', async () => {
    const { dir } = directory(new FakeClient(() => []));
    await assert.rejects(dir.findAccount({}), { kind: 'rejected', code: 'no_identifier' });
  });

  it('disables with a conditional write that keeps the other bits', async () => {
    let uac = '66048';
    const client = new FakeClient(() => [userEntry({ userAccountControl: uac })]);
    sinon.stub(client, 'modify').callsFake(async (_dn, changes) => {
      client.modifies.push({ dn: DN, changes: changes as Change[] });
      uac = '66050';
    });
    const { dir } = directory(client);
    await dir.disableAccount(DN);
    const [modify] = client.modifies;
    assert.deepEqual(
      modify?.changes.map((c) => [c.operation, c.modification.type, c.modification.values]),
      [
        ['delete', 'userAccountControl', ['66048']],
        ['add', 'userAccountControl', ['66050']],
      ],
    );
  });

  it('does not write when the account is already disabled', async () => {
    const client = new FakeClient(() => [userEntry({ userAccountControl: '514' })]);
    const { dir } = directory(client);
    await dir.disableAccount(DN);
    assert.equal(client.modifies.length, 0);
    assert.equal(client.unbinds, 1);
  });

  it('refuses to reset a password over plain ldap:// before connecting', async () => {
    const client = new FakeClient(() => [userEntry()]);
    const { dir, created } = directory(client, { url: 'ldap://dc1.contoso.test' });
    await assert.rejects(dir.resetPasswordToRandom(DN), (error: unknown) => {
      assert.ok(error instanceof DirectoryError);
      assert.equal(error.kind, 'misconfigured');
      assert.equal(error.code, 'unencrypted_connection');
      assert.match(error.advice ?? '', /ldaps:\/\/|STARTTLS/i);
      return true;
    });
    assert.equal(created.length, 0, 'no connection was made');
  });

  it('uses StartTLS for ldap:// with startTls, gives it a copy, and no implicit TLS options', async () => {
    const client = new FakeClient(() => [userEntry()]);
    const { dir, created } = directory(client, { url: 'ldap://dc1.contoso.test', startTls: true });
    await dir.findAccount({ samAccountName: 'ohara' });
    assert.equal(created[0]?.tlsOptions, undefined);
    assert.equal(client.startTlsOptions.length, 1);
    assert.equal(client.startTlsOptions[0]?.servername, 'dc1.contoso.test');
    await dir.findAccount({ samAccountName: 'ohara' });
    assert.equal(client.startTlsOptions[1]?.socket, undefined, 'a fresh copy each time');
  });

  it('writes unicodePwd as a replace and wipes the encoded value afterwards', async () => {
    let pwdLastSet = '1';
    const client = new FakeClient(() => [userEntry({ pwdLastSet })]);
    let written: Buffer | undefined;
    sinon.stub(client, 'modify').callsFake(async (_dn, change) => {
      const [only] = Array.isArray(change) ? change : [change];
      assert.equal(only?.operation, 'replace');
      assert.equal(only?.modification.type, 'unicodePwd');
      written = only?.modification.values[0] as Buffer;
      assert.equal(written.toString('utf16le'), `"${SECRET}"`, 'the quoted password in UTF-16LE');
      pwdLastSet = '2';
    });
    const { dir } = directory(client);
    await dir.resetPasswordToRandom(DN);
    assert.ok(written && written.every((byte) => byte === 0));
  });

  it('keeps the password out of errors and advises on delegation when access is denied', async () => {
    const client = new FakeClient(() => [userEntry()]);
    client.modifyError = new InsufficientAccessError(
      '00002098: SecErr: DSID-03150F94, problem 4003',
    );
    const { dir } = directory(client);
    const error = await dir.resetPasswordToRandom(DN).catch((e: unknown) => e);
    assert.ok(error instanceof DirectoryError);
    assert.equal(error.kind, 'permission');
    assert.match(error.advice ?? '', /Reset password/);
    const everything = JSON.stringify({ ...error, message: error.message, stack: error.stack });
    assert.ok(!everything.includes(SECRET), 'the password leaked into the error');
    assert.ok(!everything.includes(BASE.bindPassword), 'the bind password leaked into the error');
    assert.equal(client.unbinds, 1);
  });

  it('reports a reset that did not take as not verified', async () => {
    const client = new FakeClient(() => [userEntry()]);
    const { dir } = directory(client);
    await assert.rejects(dir.resetPasswordToRandom(DN), { kind: 'rejected', code: 'not_verified' });
  });

  it('refuses a DN that is not a user', async () => {
    const client = new FakeClient(() => []);
    const { dir } = directory(client);
    await assert.rejects(dir.disableAccount('CN=Domain Admins,CN=Users,DC=contoso,DC=test'), {
      kind: 'rejected',
      code: 'not_a_user',
    });
  });

  it('rejects configurations that cannot work', () => {
    assert.throws(() => new LdapOnPremDirectory({ ...BASE, url: 'http://dc1' }), {
      kind: 'misconfigured',
    });
    assert.throws(() => new LdapOnPremDirectory({ ...BASE, startTls: true }), {
      kind: 'misconfigured',
    });
    assert.throws(() => new LdapOnPremDirectory({ ...BASE, bindPassword: '' }), {
      kind: 'misconfigured',
    });
  });
});
