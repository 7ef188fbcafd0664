// listGroupMembers through the real Graph SDK against the stand-in: the transitive user members
// of a group, every page up to the limit, and the permission a 403 names.
import assert from 'node:assert/strict';
import {
  createGraphClient,
  createGraphCredential,
  GraphDirectory,
} from '../../../src/directory/graph';
import { directoryWithRoles, rejection, startHarness, type Harness } from './fixtures';

const ROUTE = 'GET /groups/{id}/transitiveMembers/microsoft.graph.user';

describe('GraphDirectory.listGroupMembers', () => {
  let h: Harness;
  let groupId: string;
  let names: string[];

  before(async () => {
    h = await startHarness();
    const state = h.standin.state;
    const user = (n: number) =>
      state.addUser({ userPrincipalName: `m${n}@contoso.com`, displayName: `Member ${n}` });
    const direct = [user(1), user(2)];
    const nestedUsers = [user(3), user(4), user(5)];
    const nested = state.addGroup({
      displayName: 'Security Managers',
      memberIds: nestedUsers.map((u) => u.id),
    });
    const device = state.addDevice({ displayName: 'kiosk' });
    const group = state.addGroup({
      displayName: 'Revoke approvers',
      // Member 1 is also in the nested group: listed once. A cycle must not loop.
      memberIds: [...direct.map((u) => u.id), nested.id, device.id],
    });
    nested.memberIds.push(direct[0]?.id ?? '', group.id);
    groupId = group.id;
    names = [...direct, ...nestedUsers].map((u) => u.displayName);
  });

  after(async () => {
    await h.standin.stop();
  });

  it('lists users through nested groups, each once, following every page', async () => {
    const small = paged(h, 2);
    const members = await small.listGroupMembers(groupId, 60);
    assert.deepEqual(
      members.map((p) => p.name),
      names,
    );
    assert.equal(members[0]?.upn, 'm1@contoso.com');
    assert.match(members[0]?.id ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(members[0]?.channelAccountId, undefined, 'Graph knows no Teams ids');
    assert.equal(h.standin.log.countFor(ROUTE, groupId), 3, '2 + 2 + 1');
  });

  it('stops at the limit without reading further pages', async () => {
    const small = paged(h, 2);
    const before = h.standin.log.countFor(ROUTE, groupId);
    const members = await small.listGroupMembers(groupId, 3);
    assert.equal(members.length, 3);
    assert.equal(h.standin.log.countFor(ROUTE, groupId) - before, 2);
  });

  it('reports an unknown group as not_found', async () => {
    const error = await rejection(
      h.directory.listGroupMembers('00000000-0000-4000-8000-000000000000', 60),
    );
    assert.equal(error.kind, 'not_found');
  });

  it('names GroupMember.Read.All when Graph refuses', async () => {
    const limited = directoryWithRoles(h, ['User.Read.All']);
    const error = await rejection(limited.listGroupMembers(groupId, 60));
    assert.equal(error.kind, 'permission');
    assert.match(error.advice ?? '', /GroupMember\.Read\.All/);
  });

  it('without a permission to read users, still lists them, by id only', async () => {
    const limited = directoryWithRoles(h, ['GroupMember.Read.All']);
    const members = await limited.listGroupMembers(groupId, 60);
    assert.equal(members.length, names.length);
    assert.ok(members.every((p) => p.name === p.id && p.upn === undefined));
  });
});

/** The production adapter with a small page size, so a handful of members spans pages. */
function paged(h: Harness, pageSize: number): GraphDirectory {
  const config = h.config();
  return new GraphDirectory(createGraphClient(createGraphCredential(config), config), {
    pageSize,
  });
}
