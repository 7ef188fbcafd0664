// revoke doctor against the real Samba AD DC: TLS verification, bind, and the delegated rights read
// (never tried) on a test OU. The DC may be shared with other test files: it is started with
// startSambaDc(), which reuses a running one, and nothing here stops it.
import { strict as assert } from 'node:assert';
import { loadConfig } from '../../src/config';
import type { CheckResult } from '../../src/doctor/check-result';
import { formatReport } from '../../src/doctor/report';
import { runChecks } from '../../src/doctor/run-doctor';
import { DELEGATION_ADVICE } from '../../src/directory/ldap';
import { projectRoot } from '../../src/project-root';
import { ensureTestCa } from '../support/entra-standin';
import { startSambaDc, type SambaDc } from '../support/samba';
import {
  addToGroup,
  createUser,
  readAccountState,
  runTag,
  withAdmin,
  type TestUser,
} from '../support/samba-users';

describe('revoke doctor: on-premises AD (Samba AD DC)', function () {
  this.timeout(120_000);
  let dc: SambaDc;
  let ou: string;
  let operator: TestUser;
  let plain: TestUser;
  let targets: TestUser[];

  before(async () => {
    dc = await startSambaDc();
    const tag = runTag();
    ou = `OU=doctor-${tag},${dc.baseDn}`;
    await withAdmin(dc, (client) =>
      client.add(ou, { objectClass: ['top', 'organizationalUnit'], ou: `doctor-${tag}` }),
    );
    operator = await createUser(dc, { cn: `doc-op-${tag}`, samAccountName: `docop${tag}` });
    await addToGroup(dc, `CN=Account Operators,CN=Builtin,${dc.baseDn}`, operator.dn);
    plain = await createUser(dc, { cn: `doc-plain-${tag}`, samAccountName: `docpl${tag}` });
    targets = [
      await createUser(dc, { cn: `doc-t1-${tag}`, samAccountName: `doct1${tag}`, parentDn: ou }),
      await createUser(dc, { cn: `doc-t2-${tag}`, samAccountName: `doct2${tag}`, parentDn: ou }),
    ];
  });

  function check(bind: TestUser, overrides: NodeJS.ProcessEnv = {}): Promise<CheckResult[]> {
    const config = loadConfig(
      {
        DATABASE_URL: 'sqlite::memory:',
        LDAP_URL: dc.url,
        LDAP_BIND_DN: bind.dn,
        LDAP_BIND_PASSWORD: bind.password,
        LDAP_BASE_DN: ou,
        LDAP_CA_FILE: dc.caFile,
        ...overrides,
      },
      projectRoot(),
    );
    return runChecks(config, projectRoot(), 'startup');
  }

  function line(results: CheckResult[], name: RegExp): CheckResult {
    const found = results.find((r) => name.test(r.name));
    assert.ok(found, `no line ${String(name)} in:\n${formatReport(results)}`);
    return found;
  }

  it('passes for a bind account in Account Operators, and changes nothing in the directory', async () => {
    const before = await Promise.all(targets.map((t) => readAccountState(dc, t.dn)));
    const ouBefore = await usnChanged(ou);
    const results = await check(operator);
    const report = formatReport(results);
    // The test DC's certificate is short-lived, so TLS may carry an expiry warning.
    assert.deepEqual(
      results.filter((r) => r.status === 'fail' || (r.status === 'warn' && !/TLS/.test(r.name))),
      [],
      report,
    );
    assert.match(report, /[✓!] AD TLS \(LDAPS\): (certificate )?verified/);
    assert.match(
      report,
      /✓ AD right to reset passwords: .* on 2 sampled account\(s\).*Account Operators/,
    );
    assert.match(report, /✓ AD right to disable accounts: may write userAccountControl/);
    const after = await Promise.all(targets.map((t) => readAccountState(dc, t.dn)));
    assert.deepEqual(
      after.map((s) => s.usnChanged),
      before.map((s) => s.usnChanged),
      'no sampled account was written',
    );
    assert.equal(await usnChanged(ou), ouBefore, 'the OU was not written');
  });

  it('fails the rights for a plain user, with the delegation advice', async () => {
    const results = await check(plain);
    assert.equal(line(results, /^AD bind$/).status, 'ok');
    const uac = line(results, /disable accounts/);
    const reset = line(results, /reset passwords/);
    assert.equal(uac.status, 'fail');
    assert.equal(reset.status, 'fail');
    assert.match(reset.detail, /on 0 of 2 sampled/);
    assert.equal(reset.fix, DELEGATION_ADVICE);
  });

  it('says "untrusted" when LDAP_CA_FILE is not the CA of the DC certificate', async () => {
    const results = await check(operator, { LDAP_CA_FILE: ensureTestCa().caCertPath });
    const tls = line(results, /^AD TLS/);
    assert.equal(tls.status, 'fail');
    assert.match(
      tls.detail,
      /certificate untrusted \([A-Z_]+\): the DC presents a certificate for/,
    );
    assert.match(tls.fix ?? '', /LDAP_CA_FILE/);
    assert.equal(results.filter((r) => /bind|right/.test(r.name)).length, 0, 'no bind attempted');
  });

  it('fails the bind with a wrong password', async () => {
    const results = await check({ ...operator, password: 'Wrong-password-1' });
    const bind = line(results, /^AD bind$/);
    assert.equal(bind.status, 'fail');
    assert.match(bind.detail, /InvalidCredentials|49/);
    assert.match(bind.fix ?? '', /LDAP_BIND_PASSWORD/);
  });

  it('says the server does not answer when nothing listens on the port', async () => {
    const results = await check(operator, { LDAP_URL: 'ldaps://127.0.0.1:1' });
    const server = line(results, /^AD server/);
    assert.equal(server.status, 'fail');
    assert.match(server.detail, /ECONNREFUSED/);
  });

  async function usnChanged(dn: string): Promise<string> {
    return withAdmin(dc, async (client) => {
      const { searchEntries } = await client.search(dn, {
        scope: 'base',
        attributes: ['uSNChanged'],
      });
      return String(searchEntries[0]?.['uSNChanged']);
    });
  }
});
