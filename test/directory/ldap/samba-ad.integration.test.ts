// The LDAP adapter against a real Active Directory: a Samba AD DC started for this test process
// (scripts/samba-ad-dc.sh via test/support/samba.ts). Passwords live in variables only: no
// assertion here prints one.
import { strict as assert } from 'node:assert';
import { DirectoryError } from '../../../src/core/errors';
import {
  BIND_ADVICE,
  DELEGATION_ADVICE,
  ENCRYPTION_ADVICE,
} from '../../../src/directory/ldap/ldap-errors';
import type { LdapDirectoryConfig } from '../../../src/directory/ldap/ldap-directory-config';
import { LdapOnPremDirectory } from '../../../src/directory/ldap/ldap-on-prem-directory';
import { generateRandomPassword } from '../../../src/directory/ldap/random-password';
import { startSambaDc, type SambaDc } from '../../support/samba';
import {
  ACCOUNTDISABLE,
  DONT_EXPIRE_PASSWORD,
  NORMAL_ACCOUNT,
  SMARTCARD_REQUIRED,
  addToGroup,
  bindAs,
  createUser,
  readAccountState,
  runTag,
  type NewUser,
  type TestUser,
} from '../../support/samba-users';

/** Asserts that a bind is refused with LDAP code 49 and AD's sub-code (533 disabled, 52e bad password). */
async function assertBindRefused(
  dc: SambaDc,
  user: TestUser,
  password: string,
  subCode: '533' | '52e',
): Promise<void> {
  await assert.rejects(bindAs(dc, user.dn, password), (error: unknown) => {
    const { code, message } = error as { code?: number; message?: string };
    assert.equal(code, 49, `bind as ${user.samAccountName}: expected code 49, got ${code}`);
    assert.ok(
      message?.includes(`data ${subCode}`),
      `bind as ${user.samAccountName}: expected "data ${subCode}" in: ${message}`,
    );
    return true;
  });
}

describe('LdapOnPremDirectory against Samba AD', function () {
  this.timeout(120_000);

  let dc: SambaDc;
  let tag: string;
  let serial = 0;
  let adminConfig: LdapDirectoryConfig;
  let accountOperator: TestUser;
  let unprivileged: TestUser;

  function newUser(extra: Partial<NewUser> = {}): Promise<TestUser> {
    const name = `u${tag}${++serial}`;
    return createUser(dc, { cn: `User ${name}`, samAccountName: name, ...extra });
  }

  function directoryAs(
    bind: { dn: string; password: string },
    config: Partial<LdapDirectoryConfig> = {},
  ) {
    return new LdapOnPremDirectory({
      ...adminConfig,
      bindDn: bind.dn,
      bindPassword: bind.password,
      ...config,
    });
  }

  before(async () => {
    dc = await startSambaDc();
    tag = runTag();
    adminConfig = {
      url: dc.url,
      bindDn: dc.adminDn,
      bindPassword: dc.adminPassword,
      baseDn: dc.baseDn,
      caFile: dc.caFile,
    };
    accountOperator = await newUser({ samAccountName: `svcop${tag}`, cn: `svc-op ${tag}` });
    await addToGroup(dc, `CN=Account Operators,CN=Builtin,${dc.baseDn}`, accountOperator.dn);
    unprivileged = await newUser({ samAccountName: `svcno${tag}`, cn: `svc-none ${tag}` });
  });

  it('disables and resets twice: the account is dead, every other bit is kept', async () => {
    const user = await newUser({ extraUserAccountControl: DONT_EXPIRE_PASSWORD });
    await bindAs(dc, user.dn, user.password); // works before
    const initial = await readAccountState(dc, user.dn);
    assert.equal(initial.userAccountControl, NORMAL_ACCOUNT | DONT_EXPIRE_PASSWORD);

    const generated: string[] = [];
    const directory = new LdapOnPremDirectory(adminConfig, {
      generatePassword: (avoid) => {
        const password = generateRandomPassword({ avoid });
        generated.push(password);
        return password;
      },
    });
    const found = await directory.findAccount({ samAccountName: user.samAccountName });
    assert.equal(found?.dn, user.dn);
    assert.equal(found?.disabled, false);

    await directory.disableAccount(found.dn);
    const disabled = await readAccountState(dc, user.dn);
    assert.equal(disabled.userAccountControl, initial.userAccountControl | ACCOUNTDISABLE);

    await directory.resetPasswordToRandom(found.dn);
    const afterFirst = await readAccountState(dc, user.dn);
    await directory.resetPasswordToRandom(found.dn);
    const afterSecond = await readAccountState(dc, user.dn);

    assert.ok(BigInt(afterFirst.pwdLastSet) > BigInt(disabled.pwdLastSet), 'pwdLastSet moved (1)');
    assert.ok(
      BigInt(afterSecond.pwdLastSet) > BigInt(afterFirst.pwdLastSet),
      'pwdLastSet moved (2)',
    );
    assert.equal(afterSecond.keyVersion, initial.keyVersion + 2);
    assert.equal(afterSecond.userAccountControl, initial.userAccountControl | ACCOUNTDISABLE);
    assert.equal(generated.length, 2);
    assert.notEqual(generated[0], generated[1], 'two different random passwords');

    // The newest password is the account's password, and AD refuses it because the account is
    // disabled (533). AD still recognises the previous password for a while (here the first
    // random one, also refused as disabled), which is why there are two resets: the original
    // password is now simply wrong (52e).
    await assertBindRefused(dc, user, generated[1] ?? '', '533');
    await assertBindRefused(dc, user, generated[0] ?? '', '533');
    await assertBindRefused(dc, user, user.password, '52e');

    const account = await directory.findAccount({ userPrincipalName: user.userPrincipalName });
    assert.equal(account?.disabled, true);
    assert.equal(account?.pwdLastSet, afterSecond.pwdLastSet);
  });

  it('keeps unusual userAccountControl bits when disabling', async () => {
    const user = await newUser({
      extraUserAccountControl: DONT_EXPIRE_PASSWORD | SMARTCARD_REQUIRED,
    });
    const before = await readAccountState(dc, user.dn);
    await new LdapOnPremDirectory(adminConfig).disableAccount(user.dn);
    const after = await readAccountState(dc, user.dn);
    assert.equal(after.userAccountControl, before.userAccountControl | ACCOUNTDISABLE);
    assert.ok(after.userAccountControl & SMARTCARD_REQUIRED);
  });

  it('disabling twice is harmless and the second time writes nothing', async () => {
    const user = await newUser();
    const directory = new LdapOnPremDirectory(adminConfig);
    await directory.disableAccount(user.dn);
    const once = await readAccountState(dc, user.dn);
    await directory.disableAccount(user.dn);
    const twice = await readAccountState(dc, user.dn);
    assert.equal(twice.userAccountControl, NORMAL_ACCOUNT | ACCOUNTDISABLE);
    assert.equal(twice.usnChanged, once.usnChanged, 'no write on the second disable');
  });

  it('finds a name full of filter metacharacters exactly and touches nobody else', async () => {
    const domain = dc.realm.toLowerCase();
    const target = await newUser({
      cn: `O'Brien, (QA)* ${tag}`,
      samAccountName: `o'brien(qa)x${tag}`,
      userPrincipalName: `o'brien(qa)*x-${tag}@${domain}`,
    });
    // What an unescaped `*` would also match, and a name differing only after the wildcard.
    const lookalikes = await Promise.all([
      newUser({ userPrincipalName: `o'brien(qa)ZZx-${tag}@${domain}` }),
      newUser({ userPrincipalName: `o'brien(qa)x-${tag}@${domain}` }),
      newUser({ userPrincipalName: `o'brien(qa)\\*x-${tag}@${domain}` }),
    ]);
    const lookalikesBefore = await Promise.all(lookalikes.map((u) => readAccountState(dc, u.dn)));

    const directory = new LdapOnPremDirectory(adminConfig);
    const byUpn = await directory.findAccount({ userPrincipalName: target.userPrincipalName });
    const bySam = await directory.findAccount({ samAccountName: target.samAccountName });
    assert.equal(byUpn?.dn, target.dn);
    assert.equal(bySam?.dn, target.dn);
    assert.match(byUpn.dn, /^CN=O'Brien\\, \(QA\)\* /, 'the DN exactly as AD returned it');

    await directory.disableAccount(byUpn.dn);
    await directory.resetPasswordToRandom(byUpn.dn);
    const targetAfter = await readAccountState(dc, target.dn);
    assert.ok(targetAfter.userAccountControl & ACCOUNTDISABLE);

    const lookalikesAfter = await Promise.all(lookalikes.map((u) => readAccountState(dc, u.dn)));
    assert.deepEqual(lookalikesAfter, lookalikesBefore, 'look-alike accounts were changed');
    for (const lookalike of lookalikes) await bindAs(dc, lookalike.dn, lookalike.password);
  });

  it('finds an account by SID, and by nothing else when the SID is unknown', async () => {
    const user = await newUser();
    const directory = new LdapOnPremDirectory(adminConfig);
    const found = await directory.findAccount({ securityIdentifier: user.sid });
    assert.equal(found?.dn, user.dn);
    assert.equal(found?.samAccountName, user.samAccountName);
    const unknownSid = user.sid.replace(/-\d+$/, '-999999');
    const none = await directory.findAccount({
      securityIdentifier: unknownSid,
      samAccountName: user.samAccountName,
    });
    assert.equal(none, undefined);
  });

  it('returns undefined for nobody and not_found for a missing DN', async () => {
    const directory = new LdapOnPremDirectory(adminConfig);
    assert.equal(await directory.findAccount({ samAccountName: `nobody${tag}` }), undefined);
    await assert.rejects(directory.disableAccount(`CN=Nobody ${tag},CN=Users,${dc.baseDn}`), {
      kind: 'not_found',
    });
  });

  it('does not treat a computer or a group as a person', async () => {
    const directory = new LdapOnPremDirectory(adminConfig);
    assert.equal(await directory.findAccount({ samAccountName: 'DC1$' }), undefined);
    assert.equal(await directory.findAccount({ samAccountName: 'Domain Admins' }), undefined);
    await assert.rejects(directory.disableAccount(`CN=Domain Admins,CN=Users,${dc.baseDn}`), {
      kind: 'rejected',
      code: 'not_a_user',
    });
  });

  it('refuses a password reset over plain ldap:// without touching AD', async () => {
    const user = await newUser();
    const before = await readAccountState(dc, user.dn);
    const plain = new LdapOnPremDirectory({ ...adminConfig, url: dc.plainUrl });
    await assert.rejects(plain.resetPasswordToRandom(user.dn), (error: unknown) => {
      assert.ok(error instanceof DirectoryError);
      assert.equal(error.kind, 'misconfigured');
      assert.equal(error.advice, ENCRYPTION_ADVICE);
      return true;
    });
    assert.deepEqual(await readAccountState(dc, user.dn), before);
    await bindAs(dc, user.dn, user.password);
    // Samba also refuses a simple bind in clear text; that surfaces as a configuration problem.
    await assert.rejects(plain.findAccount({ samAccountName: user.samAccountName }), {
      kind: 'misconfigured',
    });
  });

  it('works over StartTLS on 389', async () => {
    const user = await newUser();
    const directory = new LdapOnPremDirectory({ ...adminConfig, url: dc.plainUrl, startTls: true });
    const found = await directory.findAccount({ samAccountName: user.samAccountName });
    assert.equal(found?.dn, user.dn);
    await directory.disableAccount(user.dn);
    await directory.resetPasswordToRandom(user.dn);
    const after = await readAccountState(dc, user.dn);
    assert.ok(after.userAccountControl & ACCOUNTDISABLE);
    assert.ok(BigInt(after.pwdLastSet) > BigInt(found.pwdLastSet));
    await assertBindRefused(dc, user, user.password, '533');
  });

  it('works with a least-privilege bind account (Account Operators)', async () => {
    const user = await newUser({ extraUserAccountControl: DONT_EXPIRE_PASSWORD });
    const before = await readAccountState(dc, user.dn);
    const directory = directoryAs(accountOperator);
    const found = await directory.findAccount({ userPrincipalName: user.userPrincipalName });
    assert.equal(found?.dn, user.dn);
    await directory.disableAccount(user.dn);
    await directory.resetPasswordToRandom(user.dn);
    const after = await readAccountState(dc, user.dn);
    assert.equal(after.userAccountControl, before.userAccountControl | ACCOUNTDISABLE);
    assert.ok(BigInt(after.pwdLastSet) > BigInt(before.pwdLastSet));
  });

  it('tells an administrator which rights to delegate when the bind account has none', async () => {
    const user = await newUser();
    const before = await readAccountState(dc, user.dn);
    const directory = directoryAs(unprivileged);
    const found = await directory.findAccount({ samAccountName: user.samAccountName });
    assert.equal(found?.dn, user.dn, 'reading is allowed to any authenticated user');
    for (const attempt of [
      () => directory.disableAccount(user.dn),
      () => directory.resetPasswordToRandom(user.dn),
    ]) {
      await assert.rejects(attempt(), (error: unknown) => {
        assert.ok(error instanceof DirectoryError);
        assert.equal(error.kind, 'permission', error.message);
        assert.equal(error.advice, DELEGATION_ADVICE);
        assert.ok(error.cause, 'the LDAP error is kept as the cause');
        return true;
      });
    }
    assert.deepEqual(await readAccountState(dc, user.dn), before);
  });

  it('reports a wrong bind password as misconfiguration, without the password', async () => {
    const wrongPassword = generateRandomPassword();
    const directory = new LdapOnPremDirectory({ ...adminConfig, bindPassword: wrongPassword });
    await assert.rejects(
      directory.findAccount({ samAccountName: 'Administrator' }),
      (error: unknown) => {
        assert.ok(error instanceof DirectoryError);
        assert.equal(error.kind, 'misconfigured');
        assert.equal(error.advice, BIND_ADVICE);
        assert.ok(!error.message.includes(wrongPassword), 'password in the message');
        return true;
      },
    );
  });

  it('verifies the certificate: by IP address, and not for a name it was not issued to', async () => {
    const byIp = new LdapOnPremDirectory({ ...adminConfig, url: 'ldaps://127.0.0.1:636' });
    assert.ok(await byIp.findAccount({ samAccountName: 'Administrator' }));
    const wrongName = new LdapOnPremDirectory({ ...adminConfig, tlsServerName: 'dc9.example.org' });
    await assert.rejects(wrongName.findAccount({ samAccountName: 'Administrator' }), {
      kind: 'misconfigured',
      code: 'ERR_TLS_CERT_ALTNAME_INVALID',
    });
    const noCa = new LdapOnPremDirectory({ ...adminConfig, caFile: undefined });
    await assert.rejects(noCa.findAccount({ samAccountName: 'Administrator' }), {
      kind: 'misconfigured',
    });
  });
});
