import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  bundledTenantPath,
  createSandboxTenant,
  loadSandboxTenant,
} from '../../../src/directory/sandbox/sandbox-tenant';
import { SandboxTenantError } from '../../../src/directory/sandbox/validate-tenant';

type Json = Record<string, unknown>;

function bundled(): Json {
  return JSON.parse(readFileSync(bundledTenantPath(), 'utf8')) as Json;
}

function users(doc: Json): Json[] {
  return doc['users'] as Json[];
}

function problemsOf(doc: unknown): string[] {
  try {
    createSandboxTenant(doc);
  } catch (error) {
    assert.ok(error instanceof SandboxTenantError, String(error));
    return error.problems;
  }
  assert.fail('expected the tenant to be rejected');
}

describe('loading the sandbox tenant', () => {
  it('loads the bundled Contoso tenant', async () => {
    const tenant = await loadSandboxTenant();
    assert.equal(tenant.name, 'Contoso sandbox');
    assert.equal(tenant.people.length, 11);
    const sam = tenant.people.find((p) => p.name === 'Sam Rivera');
    assert.equal(sam?.department, 'Security Operations (SOC)');
    assert.ok(sam?.channelAccountId);
    assert.ok(tenant.people.every((p) => /^[0-9a-f-]{36}$/.test(p.id)));
  });

  it('seeds roles with their definition’s isPrivileged flag, active or PIM-eligible', async () => {
    const tenant = await loadSandboxTenant();
    const evan = await tenant.directory.findUser('evan.park@contoso.com');
    assert.ok(evan);
    assert.deepEqual(await tenant.directory.listDirectoryRoles(evan.id), [
      {
        id: 'e8611ab8-c189-46e8-94e1-60213ab1f814',
        displayName: 'Privileged Role Administrator',
        roleTemplateId: 'e8611ab8-c189-46e8-94e1-60213ab1f814',
        isPrivileged: true,
        assignment: 'eligible',
      },
    ]);
    const problems = problemsOf({
      ...bundled(),
      users: [
        {
          id: '5b7e0c2a-94d1-4f3e-8a6b-2c1d9e8f7a61',
          userPrincipalName: 'x@contoso.com',
          displayName: 'X',
          directoryRoles: [
            { roleTemplateId: 'e8611ab8-c189-46e8-94e1-60213ab1f814', displayName: 'PRA' },
          ],
        },
      ],
    });
    assert.ok(
      problems.some((p) => /directoryRoles\[0\]\.isPrivileged: missing/.test(p)),
      problems.join('\n'),
    );
  });

  it('gives each load its own state', async () => {
    const a = await loadSandboxTenant();
    const b = await loadSandboxTenant();
    const alice = await a.directory.findUser('alice.johnson@contoso.com');
    assert.ok(alice);
    await a.directory.disableUser(alice.id);
    assert.equal((await b.directory.getUser(alice.id))?.accountEnabled, true);
  });

  it('names the file when it is missing or not JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'revoke-sandbox-'));
    try {
      const missing = join(dir, 'nope.json');
      await assert.rejects(loadSandboxTenant(missing), (error: Error) => {
        assert.ok(error.message.includes(missing));
        assert.match(error.message, /cannot read/);
        return true;
      });
      const broken = join(dir, 'broken.json');
      writeFileSync(broken, '{ "tenant": ');
      await assert.rejects(loadSandboxTenant(broken), /not valid JSON/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says which field of which user is wrong', () => {
    const doc = bundled();
    const alice = users(doc)[5] as Json;
    alice['id'] = 'not-a-guid';
    (alice['onPremises'] as Json)['userAccountControl'] = '512';
    const problems = problemsOf(doc);
    assert.ok(
      problems.includes('users[5] (alice.johnson@contoso.com).id: "not-a-guid" is not a GUID'),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) =>
        p.startsWith('users[5] (alice.johnson@contoso.com).onPremises.userAccountControl:'),
      ),
      problems.join('\n'),
    );
  });

  it('reports every problem at once in the error message', () => {
    const doc = bundled();
    delete (users(doc)[0] as Json)['displayName'];
    (users(doc)[1] as Json)['managerID'] = 'typo';
    (users(doc)[2] as Json)['userPrincipalName'] = 'SAM.RIVERA@contoso.com';
    (doc['roles'] as Json)['approverGroupId'] = '00000000-0000-4000-8000-000000000000';
    const error = (() => {
      try {
        createSandboxTenant(doc, {}, 'tenant.json');
      } catch (e) {
        return e as Error;
      }
      return new Error('not thrown');
    })();
    assert.match(error.message, /Invalid sandbox tenant \(tenant\.json\): 4 problem/);
    assert.match(
      error.message,
      /users\[0\] \(sam\.rivera@contoso\.com\)\.displayName: is required/,
    );
    assert.match(
      error.message,
      /users\[1\] \(priya\.patel@contoso\.com\): unknown field "managerID"/,
    );
    assert.match(
      error.message,
      /userPrincipalName "SAM\.RIVERA@contoso\.com" is already used by users\[0\]/,
    );
    assert.match(error.message, /roles\.approverGroupId: no group has id/);
  });

  it('checks references: managers, group members, device ids and on-prem uniqueness', () => {
    const doc = bundled();
    const list = users(doc);
    (list[5] as Json)['managerId'] = (list[5] as Json)['id'];
    const groups = doc['groups'] as Json[];
    (groups[0]?.['members'] as string[]).push('11111111-1111-4111-8111-111111111111');
    const bob = list[6] as Json;
    const aliceDevices = (list[5] as Json)['devices'] as Json[];
    ((bob['devices'] as Json[])[0] as Json)['id'] = aliceDevices[0]?.['id'];
    ((list[7] as Json)['onPremises'] as Json)['samAccountName'] = 'AJOHNSON';
    ((list[8] as Json)['onPremises'] as Json)['securityIdentifier'] = 'S-1-5-32-544';
    const problems = problemsOf(doc).join('\n');
    assert.match(problems, /managerId: a user cannot be their own manager/);
    assert.match(
      problems,
      /groups\[0\] \(Revoke Approvers\)\.members\[3\]: no user or group has id/,
    );
    assert.match(
      problems,
      /users\[6\] \(bob\.smith@contoso\.com\)\.devices\[0\]: object id .* is already used/,
    );
    assert.match(problems, /samAccountName "AJOHNSON" is already used by users\[5\]/);
    assert.match(problems, /securityIdentifier: "S-1-5-32-544" is not a domain SID/);
  });

  it('rejects a document that is not an object at all', () => {
    assert.deepEqual(problemsOf([]).slice(0, 1), ['(root): expected an object']);
  });
});
