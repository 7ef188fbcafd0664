// The user's app role assignments through the real Graph adapter against the stand-in: listed with
// their groups' (as Graph lists them), removed and granted again idempotently, each call refused
// with advice naming AppRoleAssignment.ReadWrite.All when the app lacks it.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { GraphContainmentDirectory } from '../../../src/directory/graph';
import { GRAPH_OPERATIONS } from '../../../src/directory/graph/permissions';
import { DEFAULT_ACCESS } from '../../support/entra-standin/containment-state';
import { directoryWithRoles, fetchToken, rejection, startHarness, type Harness } from './fixtures';

const WRITE = ['AppRoleAssignment.ReadWrite.All'];
const ROLE = '4f2b1c6e-2d4a-4c1e-9a57-3c8f0e2b7d11';

describe('GraphContainmentDirectory: app role assignments', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.standin.stop();
  });
  beforeEach(() => h.standin.log.reset());

  function graph(roles: string[]): GraphContainmentDirectory {
    const directory = directoryWithRoles(h, roles);
    assert.ok(directory instanceof GraphContainmentDirectory);
    return directory;
  }

  function setUp() {
    const { state } = h.standin;
    const user = state.addUser({
      userPrincipalName: `${randomUUID()}@contoso.com`,
      displayName: 'Alice Johnson',
    });
    const spId = randomUUID();
    state.containment.addProvisioningJob(spId, 'Salesforce');
    const other = randomUUID();
    state.containment.addProvisioningJob(other, 'Workday');
    const own = state.containment.assignToApp(spId, { id: user.id, type: 'User' }, ROLE);
    state.containment.assignToApp(other, { id: user.id, type: 'User' });
    const sales = state.addGroup({ displayName: 'Sales', memberIds: [user.id] });
    const viaGroup = state.containment.assignToApp(spId, { id: sales.id, type: 'Group' });
    // A nested group's members are not in scope, and Graph does not list its assignment.
    const nested = state.addGroup({ displayName: 'Nested', memberIds: [sales.id] });
    state.containment.assignToApp(spId, { id: nested.id, type: 'Group' });
    return { user, spId, own, viaGroup };
  }

  it("lists the user's own and direct groups' assignments to the one app (resourceId filter)", async () => {
    const { user, spId, own, viaGroup } = setUp();
    const list = await graph(WRITE).listAppAssignments(spId, user.id);
    assert.deepEqual(
      list.map((a) => [a.id, a.principalType, a.principalName, a.appRoleId]).sort(),
      [
        [own.id, 'User', 'Alice Johnson', ROLE],
        [viaGroup.id, 'Group', 'Sales', DEFAULT_ACCESS],
      ].sort(),
    );
    const call = h.standin.log.calls.find((c) => c.route === 'GET /users/{id}/appRoleAssignments');
    assert.ok(call, 'the list route was called');
  });

  it('reads with Directory.Read.All too, as Microsoft Learn lists', async () => {
    const { user, spId } = setUp();
    const list = await graph(['Directory.Read.All']).listAppAssignments(spId, user.id);
    assert.equal(list.length, 2);
  });

  it('follows nextLink over every page', async () => {
    const { user, spId } = setUp();
    for (let i = 0; i < 120; i++)
      h.standin.state.containment.assignToApp(spId, { id: user.id, type: 'User' }, randomUUID());
    const list = await graph(WRITE).listAppAssignments(spId, user.id);
    assert.equal(list.length, 122);
  });

  it('removes an own assignment, and a second removal (already gone) still succeeds', async () => {
    const { user, spId, own } = setUp();
    const directory = graph(WRITE);
    await directory.removeAppAssignment(user.id, own.id);
    await directory.removeAppAssignment(user.id, own.id);
    const left = await directory.listAppAssignments(spId, user.id);
    assert.deepEqual(
      left.map((a) => a.principalType),
      ['Group'],
    );
  });

  it('grants the role again, and granting a role already held succeeds without a duplicate', async () => {
    const { user, spId, own } = setUp();
    const directory = graph(WRITE);
    await directory.removeAppAssignment(user.id, own.id);
    await directory.addAppAssignment(spId, user.id, ROLE);
    await directory.addAppAssignment(spId, user.id, ROLE);
    const mine = (await directory.listAppAssignments(spId, user.id)).filter(
      (a) => a.principalType === 'User',
    );
    assert.deepEqual(
      mine.map((a) => a.appRoleId),
      [ROLE],
    );
  });

  it('refuses each call without AppRoleAssignment.ReadWrite.All, naming it', async () => {
    const { user, spId, own } = setUp();
    const directory = graph(['User.Read.All', 'Synchronization.ReadWrite.All']);
    for (const call of [
      directory.listAppAssignments(spId, user.id),
      directory.removeAppAssignment(user.id, own.id),
      directory.addAppAssignment(spId, user.id, ROLE),
    ]) {
      const error = await rejection(call);
      assert.equal(error.kind, 'permission');
      assert.match(error.advice ?? '', /AppRoleAssignment\.ReadWrite\.All/);
    }
    // Reading alone would pass with Directory.Read.All, but the write is refused with it.
    const error = await rejection(
      graph(['Directory.Read.All']).removeAppAssignment(user.id, own.id),
    );
    assert.equal(error.kind, 'permission');
    assert.equal(
      GRAPH_OPERATIONS.removeAppRoleAssignment.permission,
      'AppRoleAssignment.ReadWrite.All',
    );
  });

  it('refuses an app id that is not a GUID before calling Graph', async () => {
    const { user } = setUp();
    const error = await rejection(graph(WRITE).listAppAssignments("x' or 1 eq 1", user.id));
    assert.equal(error.kind, 'misconfigured');
    assert.equal(h.standin.log.calls.length, 0);
  });

  it('answers not_found for an unknown user', async () => {
    const { spId } = setUp();
    const error = await rejection(graph(WRITE).listAppAssignments(spId, randomUUID()));
    assert.equal(error.kind, 'not_found');
  });

  it("the stand-in answers as Graph does: a quoted GUID filter is 400, a group assignment is not the user's to delete", async () => {
    const { user, spId, viaGroup } = setUp();
    const secret = 'raw-assignments-secret';
    const app = h.standin.state.addApp({ secrets: [secret], roles: WRITE });
    const token = await fetchToken(h.standin, app.clientId, secret);
    const call = (method: string, path: string) =>
      fetch(`${h.standin.origin}/v1.0${path}`, {
        method,
        headers: { authorization: `Bearer ${token}` },
      });
    const quoted = await call(
      'GET',
      `/users/${user.id}/appRoleAssignments?$filter=${encodeURIComponent(`resourceId eq '${spId}'`)}`,
    );
    assert.equal(quoted.status, 400);
    const body = (await quoted.json()) as { error?: { code?: string; message?: string } };
    assert.equal(body.error?.code, 'Request_BadRequest');
    assert.match(body.error?.message ?? '', /Edm\.Guid/);
    const group = await call('DELETE', `/users/${user.id}/appRoleAssignments/${viaGroup.id}`);
    assert.equal(group.status, 404);
    assert.ok(h.standin.state.containment.appRoleAssignments.has(viaGroup.id));
  });
});
