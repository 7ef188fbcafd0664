// listDirectoryRoles through the real Graph SDK and credential against the stand-in: paging,
// roles held through a role-assignable group, hidden details without RoleManagement.Read.Directory,
// and the 403 advice without User.Read.All.
import assert from 'node:assert/strict';
import { privilegedRoleNames } from '../../../src/core/approval/privileged-roles';
import {
  createGraphClient,
  createGraphCredential,
  GraphDirectory,
} from '../../../src/directory/graph';
import { ALL_ROLES, directoryWithRoles, rejection, useHarness, type Harness } from './fixtures';

const GLOBAL_ADMIN = '62e90394-69f5-4237-9190-012177145e10';
const HELPDESK = '729827e3-9c14-49f7-bb1b-9608f156bbb8';
const READERS = '88d8e3e3-8f55-4a1e-953a-9b9898b8876b';
const ROUTE = 'GET /users/{id}/transitiveMemberOf/microsoft.graph.directoryRole';

describe('GraphDirectory.listDirectoryRoles (real SDKs against the Entra/Graph stand-in)', () => {
  let h: Harness;
  useHarness((harness) => (h = harness));

  function withRoleReader(): GraphDirectory {
    return directoryWithRoles(h, [...ALL_ROLES, 'RoleManagement.Read.Directory']);
  }

  it('lists direct and group-held roles across pages', async () => {
    const user = h.standin.state.addUser({ userPrincipalName: 'admin.ann@contoso.com' });
    const tier0 = h.standin.state.addGroup({ displayName: 'Tier 0', memberIds: [user.id] });
    h.standin.state.addDirectoryRole({
      displayName: 'Global Administrator',
      roleTemplateId: GLOBAL_ADMIN,
      memberIds: [tier0.id],
    });
    h.standin.state.addDirectoryRole({
      displayName: 'Helpdesk Administrator',
      roleTemplateId: HELPDESK,
      memberIds: [user.id],
    });
    h.standin.state.addDirectoryRole({
      displayName: 'Directory Readers',
      roleTemplateId: READERS,
      memberIds: [user.id],
    });
    const app = h.standin.state.addApp({
      secrets: ['role-reader-secret'],
      roles: [...ALL_ROLES, 'RoleManagement.Read.Directory'],
    });
    const config = h.config({ clientId: app.clientId, clientSecret: 'role-reader-secret' });
    // pageSize 1 forces three pages through @odata.nextLink.
    const paged = new GraphDirectory(createGraphClient(createGraphCredential(config), config), {
      pageSize: 1,
    });
    const roles = await paged.listDirectoryRoles(user.id);
    assert.deepEqual(
      roles.map((r) => r.roleTemplateId).sort(),
      [GLOBAL_ADMIN, HELPDESK, READERS].sort(),
    );
    assert.equal(h.standin.log.count(ROUTE), 3);
    assert.deepEqual(privilegedRoleNames(roles), [
      'Global Administrator',
      'Helpdesk Administrator',
    ]);
  });

  it('a user with no roles has none', async () => {
    const user = h.standin.state.addUser({ userPrincipalName: 'plain.pat@contoso.com' });
    assert.deepEqual(await withRoleReader().listDirectoryRoles(user.id), []);
  });

  it('without RoleManagement.Read.Directory the roles come back nameless, and count as privileged', async () => {
    const user = h.standin.state.addUser({ userPrincipalName: 'hidden.hal@contoso.com' });
    h.standin.state.addDirectoryRole({
      displayName: 'Directory Readers',
      roleTemplateId: READERS,
      memberIds: [user.id],
    });
    const roles = await h.directory.listDirectoryRoles(user.id);
    assert.equal(roles.length, 1);
    assert.equal(roles[0]?.roleTemplateId, undefined);
    assert.deepEqual(privilegedRoleNames(roles), ['an unidentified directory role']);
  });

  it('without User.Read.All: a permission error that names what to grant', async () => {
    const user = h.standin.state.addUser({ userPrincipalName: 'no.read@contoso.com' });
    const limited = directoryWithRoles(h, ['Device.ReadWrite.All']);
    const error = await rejection(limited.listDirectoryRoles(user.id));
    assert.equal(error.kind, 'permission');
    assert.match(error.advice ?? '', /RoleManagement\.Read\.Directory/);
  });
});
