// listDirectoryRoles through the real Graph SDK and credential against the stand-in: active
// assignments and PIM eligibilities, the user's own and a role-assignable group's, across pages;
// privileged by the role definitions' own isPrivileged flag (read once); unreadable eligibilities
// count as privileged, and so do roles the app may not read.
import assert from 'node:assert/strict';
import { privilegedRoleNames } from '../../../src/core/approval/privileged-roles';
import {
  createGraphClient,
  createGraphCredential,
  GraphDirectory,
} from '../../../src/directory/graph';
import {
  ALL_ROLES,
  directoryWithRoles,
  fetchToken,
  rejection,
  useHarness,
  type Harness,
} from './fixtures';

const GLOBAL_ADMIN = '62e90394-69f5-4237-9190-012177145e10';
const HELPDESK = '729827e3-9c14-49f7-bb1b-9608f156bbb8';
const READERS = '88d8e3e3-8f55-4a1e-953a-9b9898b8876b';
const PRIVILEGED_ROLE_ADMIN = 'e8611ab8-c189-46e8-94e1-60213ab1f814';
const DEFINITIONS = 'GET /roleManagement/directory/roleDefinitions';
const ELIGIBILITIES = 'GET /roleManagement/directory/roleEligibilityScheduleInstances';
const ASSIGNMENTS = 'GET /roleManagement/directory/roleAssignments';

describe('GraphDirectory.listDirectoryRoles (real SDKs against the Entra/Graph stand-in)', () => {
  let h: Harness;
  useHarness((harness) => (h = harness));

  function withRoleReader(pageSize?: number): GraphDirectory {
    const app = h.standin.state.addApp({
      secrets: ['role-reader-secret'],
      roles: [...ALL_ROLES, 'RoleManagement.Read.Directory'],
    });
    const config = h.config({ clientId: app.clientId, clientSecret: 'role-reader-secret' });
    return new GraphDirectory(
      createGraphClient(createGraphCredential(config), config),
      pageSize === undefined ? {} : { pageSize },
    );
  }

  function seedDefinitions(): void {
    const state = h.standin.state;
    state.addRoleDefinition({
      displayName: 'Global Administrator',
      templateId: GLOBAL_ADMIN,
      isPrivileged: true,
    });
    state.addRoleDefinition({
      displayName: 'Helpdesk Administrator',
      templateId: HELPDESK,
      isPrivileged: true,
    });
    state.addRoleDefinition({
      displayName: 'Privileged Role Administrator',
      templateId: PRIVILEGED_ROLE_ADMIN,
      isPrivileged: true,
    });
    state.addRoleDefinition({
      displayName: 'Directory Readers',
      templateId: READERS,
      isPrivileged: false,
    });
  }

  it('finds active and eligible roles, own and through a role-assignable group, across pages', async () => {
    seedDefinitions();
    const state = h.standin.state;
    const user = state.addUser({ userPrincipalName: 'admin.ann@contoso.com' });
    const tier0 = state.addGroup({
      displayName: 'Tier 0',
      memberIds: [user.id],
      isAssignableToRole: true,
    });
    state.addGroup({ displayName: 'Finance', memberIds: [user.id] });
    state.grantRole(GLOBAL_ADMIN, tier0.id, 'eligible');
    state.grantRole(HELPDESK, user.id, 'active');
    state.grantRole(READERS, user.id, 'active');
    state.grantRole(PRIVILEGED_ROLE_ADMIN, user.id, 'eligible', '/administrativeUnits/au-1');
    // Someone else's roles are not the user's.
    const other = state.addUser({ userPrincipalName: 'other.olga@contoso.com' });
    state.grantRole(GLOBAL_ADMIN, other.id, 'active');

    // pageSize 1: the memberships come one per page; assignments follow Graph's own nextLinks.
    const directory = withRoleReader(1);
    const roles = await directory.listDirectoryRoles(user.id);
    assert.deepEqual(
      roles.map((r) => [r.roleTemplateId, r.assignment, r.viaGroup ?? '']).sort(),
      [
        [GLOBAL_ADMIN, 'eligible', 'Tier 0'],
        [HELPDESK, 'active', ''],
        [PRIVILEGED_ROLE_ADMIN, 'eligible', ''],
        [READERS, 'active', ''],
      ].sort(),
    );
    assert.deepEqual(privilegedRoleNames(roles), [
      'Global Administrator (eligible, through Tier 0)',
      'Helpdesk Administrator',
      'Privileged Role Administrator (eligible)',
    ]);
    // The user and the one role-assignable group (Finance is not one): two principals each.
    assert.equal(h.standin.log.count(ASSIGNMENTS), 2);
    assert.equal(h.standin.log.count(ELIGIBILITIES), 2);
    assert.equal(h.standin.log.count('GET /users/{id}/transitiveMemberOf'), 2);

    // The definitions are cached: a second look-up does not read them again.
    await directory.listDirectoryRoles(other.id);
    assert.equal(h.standin.log.count(DEFINITIONS), 1);
  });

  it('a role whose definition says it is not privileged adds no approval', async () => {
    seedDefinitions();
    const user = h.standin.state.addUser({ userPrincipalName: 'reader.rae@contoso.com' });
    h.standin.state.grantRole(READERS, user.id, 'active');
    const roles = await withRoleReader().listDirectoryRoles(user.id);
    assert.equal(roles.length, 1);
    assert.equal(roles[0]?.isPrivileged, false);
    assert.deepEqual(privilegedRoleNames(roles), []);
  });

  it('a user with no roles has none', async () => {
    seedDefinitions();
    const user = h.standin.state.addUser({ userPrincipalName: 'plain.pat@contoso.com' });
    assert.deepEqual(await withRoleReader().listDirectoryRoles(user.id), []);
  });

  it('eligibilities that cannot be read (no PIM licence: 403) count as a privileged role', async () => {
    seedDefinitions();
    const user = h.standin.state.addUser({ userPrincipalName: 'nolicence.nia@contoso.com' });
    h.standin.faults.add({
      path: /roleEligibilityScheduleInstances$/,
      status: 403,
      code: 'AadPremiumLicenseRequired',
      message: 'The tenant needs an AAD Premium 2 license.',
      times: Number.POSITIVE_INFINITY,
    });
    const roles = await withRoleReader().listDirectoryRoles(user.id);
    assert.deepEqual(privilegedRoleNames(roles), [
      'PIM role eligibilities, which could not be read (AadPremiumLicenseRequired)',
    ]);
  });

  it('without RoleManagement.Read.Directory (or User.Read.All) the roles are unknown, and count as privileged', async () => {
    const user = h.standin.state.addUser({ userPrincipalName: 'no.read@contoso.com' });
    for (const directory of [h.directory, directoryWithRoles(h, ['Device.ReadWrite.All'])]) {
      const roles = await directory.listDirectoryRoles(user.id);
      assert.deepEqual(privilegedRoleNames(roles), [
        'directory roles, which could not be read (Authorization_RequestDenied)',
      ]);
    }
  });

  it('a user who no longer exists is still an error, not an unknown role', async () => {
    const error = await rejection(
      withRoleReader().listDirectoryRoles('0badf00d-0000-4000-8000-000000000404'),
    );
    assert.equal(error.kind, 'not_found');
  });

  it('the stand-in refuses filters Graph would not take, as Graph does', async () => {
    h.standin.state.addApp({
      clientId: 'b0b0b0b0-0000-4000-8000-0000000000f1',
      secrets: ['filter-secret'],
      roles: ['RoleManagement.Read.Directory'],
    });
    const token = await fetchToken(
      h.standin,
      'b0b0b0b0-0000-4000-8000-0000000000f1',
      'filter-secret',
    );
    for (const filter of ["principalId eq 'not-a-guid'", 'roleDefinitionId ne null']) {
      const url = `${h.standin.origin}/v1.0/roleManagement/directory/roleAssignments?$filter=${encodeURIComponent(filter)}`;
      const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(response.status, 400, filter);
      const body = (await response.json()) as { error: { code: string } };
      assert.equal(body.error.code, 'Request_BadRequest');
    }
  });
});
