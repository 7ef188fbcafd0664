import assert from 'node:assert/strict';
import { DirectoryError } from '../../../src/core/errors';
import { fromFileTime, toFileTime } from '../../../src/directory/sandbox/filetime';
import { loadSandboxTenant } from '../../../src/directory/sandbox/sandbox-tenant';
import type { SandboxTenant } from '../../../src/directory/sandbox/sandbox-tenant';
import { FakeClock } from '../../support/fake-clock';

describe('sandbox Active Directory', () => {
  let clock: FakeClock;
  let tenant: SandboxTenant;

  beforeEach(async () => {
    clock = new FakeClock('2026-03-02T10:00:00.000Z');
    tenant = await loadSandboxTenant(undefined, { clock });
  });

  async function refOf(upn: string) {
    const user = await tenant.directory.findUser(upn);
    assert.ok(user?.onPremisesSyncEnabled, `${upn} is synced`);
    return {
      samAccountName: user.onPremisesSamAccountName,
      securityIdentifier: user.onPremisesSecurityIdentifier,
      userPrincipalName: user.onPremisesUserPrincipalName,
    };
  }

  describe('findAccount', () => {
    it('finds a synced user by SID, sAMAccountName or UPN, each case-insensitively', async () => {
      const ref = await refOf('alice.johnson@contoso.com');
      const bySid = await tenant.onPrem.findAccount({ securityIdentifier: ref.securityIdentifier });
      const bySam = await tenant.onPrem.findAccount({ samAccountName: 'AJohnson' });
      const byUpn = await tenant.onPrem.findAccount({
        userPrincipalName: 'ALICE.JOHNSON@contoso.com',
      });
      assert.deepEqual(bySid, {
        dn: 'CN=Alice Johnson,OU=Finance,OU=Users,OU=Contoso,DC=corp,DC=contoso,DC=com',
        samAccountName: 'ajohnson',
        userAccountControl: 512,
        disabled: false,
        pwdLastSet: '133750299000000000',
      });
      assert.deepEqual(bySam, bySid);
      assert.deepEqual(byUpn, bySid);
    });

    it('prefers the SID when the reference disagrees with itself', async () => {
      const carol = await refOf('carol.nguyen@contoso.com');
      const found = await tenant.onPrem.findAccount({
        securityIdentifier: carol.securityIdentifier,
        samAccountName: 'ajohnson',
      });
      assert.equal(found?.samAccountName, 'cnguyen');
    });

    it('returns undefined for a cloud-only user or an empty reference', async () => {
      assert.equal(
        await tenant.onPrem.findAccount({ userPrincipalName: 'bob.smith@contoso.com' }),
        undefined,
      );
      assert.equal(await tenant.onPrem.findAccount({}), undefined);
    });

    it('returns the DN exactly as stored, escapes included', async () => {
      const dana = await tenant.onPrem.findAccount(await refOf('dana.obrien@contoso.com'));
      assert.equal(
        dana?.dn,
        "CN=O'Brien\\, Dana,OU=Contractors,OU=Users,OU=Contoso,DC=corp,DC=contoso,DC=com",
      );
    });
  });

  it('disableAccount sets ACCOUNTDISABLE, keeps DONT_EXPIRE_PASSWORD, and is idempotent', async () => {
    const ref = await refOf('carol.nguyen@contoso.com');
    const before = await tenant.onPrem.findAccount(ref);
    assert.ok(before);
    assert.equal(before.userAccountControl, 0x10200);
    await tenant.onPrem.disableAccount(before.dn);
    await tenant.onPrem.disableAccount(before.dn.toUpperCase());
    const after = await tenant.onPrem.findAccount(ref);
    assert.equal(after?.userAccountControl, 0x10202);
    assert.equal(after?.disabled, true);
  });

  it('resetPasswordToRandom bumps pwdLastSet to now as a FILETIME and keeps no password', async () => {
    const ref = await refOf('alice.johnson@contoso.com');
    const account = await tenant.onPrem.findAccount(ref);
    assert.ok(account);
    await tenant.onPrem.resetPasswordToRandom(account.dn);
    const first = (await tenant.onPrem.findAccount(ref))?.pwdLastSet;
    assert.equal(first, toFileTime(clock.now()));
    assert.equal(first, '134169192000000000');
    clock.advance(1_000);
    await tenant.onPrem.resetPasswordToRandom(account.dn);
    const second = (await tenant.onPrem.findAccount(ref))?.pwdLastSet;
    assert.equal(BigInt(second ?? '0') - BigInt(first ?? '0'), 10_000_000n);
    assert.equal(tenant.onPrem.passwordResetCount(account.dn), 2);
    // A clock that stands still still yields a new value per reset, as AD would.
    await tenant.onPrem.resetPasswordToRandom(account.dn);
    const third = (await tenant.onPrem.findAccount(ref))?.pwdLastSet;
    assert.equal(BigInt(third ?? '0') - BigInt(second ?? '0'), 1n);
    // Nothing password-like anywhere in the sandbox's state.
    assert.doesNotMatch(JSON.stringify(tenant.onPrem), /password"|unicodePwd/i);
  });

  it('reports an unknown DN as a not_found DirectoryError', async () => {
    const dn = 'CN=Nobody,DC=corp,DC=contoso,DC=com';
    for (const call of [
      tenant.onPrem.disableAccount(dn),
      tenant.onPrem.resetPasswordToRandom(dn),
    ]) {
      await assert.rejects(call, (error: unknown) => {
        assert.ok(error instanceof DirectoryError);
        assert.equal(error.kind, 'not_found');
        assert.equal(error.code, 'noSuchObject');
        return true;
      });
    }
  });

  it('converts FILETIME both ways', () => {
    const date = new Date('2025-01-15T08:30:00.000Z');
    assert.equal(toFileTime(date), '133814034000000000');
    assert.equal(fromFileTime('133814034000000000').toISOString(), date.toISOString());
  });
});
