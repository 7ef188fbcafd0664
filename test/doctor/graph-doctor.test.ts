// revoke doctor against the HTTPS Entra ID + Graph stand-in: the real credential and Graph client,
// real tokens whose `roles` are what the app was granted in the stand-in's state.
import { strict as assert } from 'node:assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { CheckResult } from '../../src/doctor/check-result';
import { exitCode, formatReport } from '../../src/doctor/report';
import { runDoctor } from '../../src/doctor/run-doctor';
import { permissionNeeds, requiredPermissions } from '../../src/doctor/required-permissions';
import { openStore } from '../../src/store';
import { EntraStandin, ensureTestCa, type StandinGroup } from '../support/entra-standin';
import { testAuditKeyText } from '../support/memory-audit-log';

const SECRET = 'doctor-test-secret-value';
/** Exactly the least-privilege set the doctor derives, plus what it needs to read groups. */
const LEAST_PRIVILEGE = [
  ...new Set([...permissionNeeds().flatMap(requiredPermissions), 'GroupMember.Read.All']),
];

function byName(results: CheckResult[], pattern: RegExp): CheckResult[] {
  return results.filter((r) => pattern.test(r.name));
}

describe('revoke doctor: Entra ID and Graph (stand-in)', function () {
  this.timeout(30_000);
  let standin: EntraStandin;
  let approvers: StandinGroup;
  let root: string;

  before(async () => {
    if (!process.env['NODE_EXTRA_CA_CERTS']) {
      throw new Error(`Run with NODE_EXTRA_CA_CERTS=${ensureTestCa().caCertPath}`);
    }
    standin = await new EntraStandin().start();
    const priya = standin.state.addUser({ userPrincipalName: 'priya@contoso.test' });
    const marcus = standin.state.addUser({ userPrincipalName: 'marcus@contoso.test' });
    approvers = standin.state.addGroup({
      displayName: 'Revoke approvers',
      memberIds: [priya.id, marcus.id],
    });
    root = mkdtempSync(join(tmpdir(), 'revoke-doctor-'));
    const store = await openStore(`sqlite:${join(root, 'revoke.db')}`);
    await store.close();
  });

  after(async () => {
    await standin.stop();
  });

  beforeEach(() => standin.log.reset());

  function env(roles: string[], overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    const app = standin.state.addApp({ secrets: [SECRET], roles });
    return {
      AZURE_TENANT_ID: standin.tenantId,
      AZURE_CLIENT_ID: app.clientId,
      AZURE_CLIENT_SECRET: SECRET,
      AZURE_AUTHORITY_HOST: standin.origin,
      GRAPH_BASE_URL: standin.origin,
      APPROVER_GROUP_ID: approvers.id,
      MicrosoftAppId: randomUUID(),
      MicrosoftAppTenantId: standin.tenantId,
      DATABASE_URL: `sqlite:${join(root, 'revoke.db')}`,
      AUDIT_KEY: testAuditKeyText(),
      ...overrides,
    };
  }

  it('passes every check for an app granted the least-privilege permissions, and only reads', async () => {
    const results = await runDoctor(env(LEAST_PRIVILEGE), root);
    const report = formatReport(results);
    assert.equal(exitCode(results), 0, report);
    assert.deepEqual(
      results.filter((r) => r.status !== 'ok'),
      [],
      report,
    );
    assert.equal(byName(results, /^Graph permission/).length, permissionNeeds().length);
    assert.match(
      report,
      /✓ Graph permission to step "revoke sign-in sessions": User\.RevokeSessions\.All/,
    );
    assert.match(report, /✓ Approver group "Revoke approvers": exists and has members/);
    assert.match(report, /✓ Request store: .* schema v\d+ is current/);
    assert.ok(!report.includes(SECRET), 'the secret is never printed');
    assert.ok(!/eyJ[A-Za-z0-9_-]+\./.test(report), 'no token is printed');

    // Nothing but reads reached Graph; the only POST is the token request.
    const writes = standin.log.calls.filter((c) => !c.route.startsWith('GET '));
    assert.deepEqual(
      writes.map((c) => c.route),
      ['POST /{tenant}/oauth2/v2.0/token'],
    );
  });

  it('names a missing permission (User.RevokeSessions.All) with the admin-consent fix', async () => {
    const roles = LEAST_PRIVILEGE.filter((r) => r !== 'User.RevokeSessions.All');
    const results = await runDoctor(env(roles), root);
    assert.equal(exitCode(results), 1);
    const failed = results.filter((r) => r.status === 'fail');
    assert.equal(failed.length, 1, formatReport(results));
    const [line] = failed;
    assert.match(line?.name ?? '', /revoke sign-in sessions/);
    assert.match(line?.detail ?? '', /missing User\.RevokeSessions\.All/);
    assert.match(line?.fix ?? '', /Grant admin consent/);
  });

  it('warns, naming AppRoleAssignment.ReadWrite.All, when provisioned apps cannot be unassigned', async () => {
    const roles = LEAST_PRIVILEGE.filter((r) => r !== 'AppRoleAssignment.ReadWrite.All');
    const results = await runDoctor(env(roles), root);
    const lines = results.filter((r) => /AppRoleAssignment\.ReadWrite\.All/.test(r.detail ?? ''));
    assert.deepEqual(
      lines.map((r) => [r.status, r.name]),
      [
        ['warn', "Graph permission to list the user's app role assignments to the enterprise app"],
        ['warn', "Graph permission to remove the user's app role assignment to the enterprise app"],
        ['warn', 'Graph permission to assign the user to the enterprise app again'],
      ],
      formatReport(results),
    );
    assert.equal(exitCode(results), 0, 'optional: a warning, not a failure');
  });

  it('accepts a broader permission as a warning that names the least privilege', async () => {
    const roles = [
      ...LEAST_PRIVILEGE.filter(
        (r) => r !== 'User.RevokeSessions.All' && r !== 'User.EnableDisableAccount.All',
      ),
      'User.ReadWrite.All',
    ];
    const results = await runDoctor(env(roles), root);
    assert.equal(exitCode(results), 0, formatReport(results));
    const revoke = byName(results, /revoke sign-in sessions/)[0];
    assert.equal(revoke?.status, 'warn');
    assert.match(revoke?.detail ?? '', /User\.ReadWrite\.All \(⊇ User\.RevokeSessions\.All\)/);
  });

  it('reports a wrong client secret on the token line, with the fix', async () => {
    const results = await runDoctor(env(LEAST_PRIVILEGE, { AZURE_CLIENT_SECRET: 'wrong' }), root);
    assert.equal(exitCode(results), 1);
    const token = byName(results, /^Entra ID token$/)[0];
    assert.equal(token?.status, 'fail');
    assert.match(token?.detail ?? '', /AADSTS7000215/);
    assert.match(token?.fix ?? '', /AZURE_CLIENT_SECRET/);
    assert.equal(
      byName(results, /^Graph permission|group/i).length,
      0,
      'nothing checked without a token',
    );
  });

  it('fails when the approver group does not exist', async () => {
    const missing = randomUUID();
    const results = await runDoctor(env(LEAST_PRIVILEGE, { APPROVER_GROUP_ID: missing }), root);
    const line = byName(results, /^Approver group/)[0];
    assert.equal(line?.status, 'fail');
    assert.equal(line?.name, `Approver group ${missing}`);
    assert.match(line?.detail ?? '', /not found/);
    assert.match(line?.fix ?? '', /APPROVER_GROUP_ID/);
  });

  it('fails when the approver group (or the protected group) has no members', async () => {
    const empty = standin.state.addGroup({ displayName: 'Nobody' });
    const results = await runDoctor(
      env(LEAST_PRIVILEGE, { APPROVER_GROUP_ID: empty.id, PROTECTED_GROUP_ID: empty.id }),
      root,
    );
    const lines = byName(results, /group "Nobody"/);
    assert.deepEqual(
      lines.map((l) => [l.name, l.status]),
      [
        ['Approver group "Nobody"', 'fail'],
        ['Protected group "Nobody"', 'fail'],
      ],
    );
    assert.match(lines[0]?.fix ?? '', /Nobody can approve/);
  });

  it('reports configuration problems as lines instead of crashing', async () => {
    const results = await runDoctor(
      { AZURE_TENANT_ID: standin.tenantId, REQUIRED_APPROVALS: 'two' },
      root,
    );
    assert.equal(exitCode(results), 1);
    assert.ok(results.every((r) => r.name === 'Configuration' && r.status === 'fail'));
    assert.ok(results.some((r) => /REQUIRED_APPROVALS/.test(r.detail)));
    assert.ok(results.some((r) => /APPROVER_GROUP_ID/.test(r.detail)));
  });
});
