import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { GraphContainmentDirectory } from '../../../src/directory/graph';
import { directoryWithRoles, rejection, startHarness, type Harness } from './fixtures';

describe('GraphContainmentDirectory: on-demand provisioning', () => {
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

  /** A user assigned to the app directly and provisioned there, active. */
  function setUp() {
    const user = h.standin.state.addUser({ userPrincipalName: `${randomUUID()}@contoso.com` });
    const spId = randomUUID();
    const job = h.standin.state.containment.addProvisioningJob(spId, 'Salesforce');
    const assignment = h.standin.state.containment.assignToApp(spId, {
      id: user.id,
      type: 'User',
    });
    job.pushed.set(user.id, true);
    return { user, spId, job, assignment };
  }

  it('finds the job and its user rule, then deprovisions an unassigned user from the app', async () => {
    const { user, spId, job, assignment } = setUp();
    h.standin.state.containment.appRoleAssignments.delete(assignment.id);
    const result = await graph(['Synchronization.ReadWrite.All']).provisionOnDemand(spId, user.id);
    assert.equal(result.status, 'success');
    assert.equal(result.deprovisioned, true);
    assert.match(result.detail, /EntryExportUpdateSoftDelete: success/);
    assert.equal(job.pushed.get(user.id), false);
    assert.deepEqual(
      h.standin.log.calls.map((c) => c.route).filter((r) => r.includes('synchronization')),
      [
        'GET /servicePrincipals/{id}/synchronization/jobs',
        'GET /servicePrincipals/{id}/synchronization/jobs/{id}/schema',
        'POST /servicePrincipals/{id}/synchronization/jobs/{id}/provisionOnDemand',
      ],
    );
  });

  it('updates an assigned user, which is not a deprovisioning', async () => {
    const { user, spId, job } = setUp();
    const result = await graph(['Synchronization.ReadWrite.All']).provisionOnDemand(spId, user.id);
    assert.equal(result.status, 'success');
    assert.equal(result.deprovisioned, false);
    assert.match(result.detail, /EntryExportUpdate: success/);
    assert.equal(job.pushed.get(user.id), true);
  });

  it('keeps a user in scope through a group they are a direct member of', async () => {
    const { user, spId, job, assignment } = setUp();
    const { containment } = h.standin.state;
    containment.appRoleAssignments.delete(assignment.id);
    const sales = h.standin.state.addGroup({ displayName: 'Sales', memberIds: [user.id] });
    containment.assignToApp(spId, { id: sales.id, type: 'Group' });
    const result = await graph(['Synchronization.ReadWrite.All']).provisionOnDemand(spId, user.id);
    assert.equal(result.deprovisioned, false);
    assert.equal(job.pushed.get(user.id), true);
  });

  it('does not process a user disabled in Entra ID, as Microsoft documents', async () => {
    const { user, spId, job, assignment } = setUp();
    h.standin.state.containment.appRoleAssignments.delete(assignment.id);
    user.accountEnabled = false;
    const result = await graph(['Synchronization.ReadWrite.All']).provisionOnDemand(spId, user.id);
    assert.equal(result.status, 'skipped');
    assert.equal(result.deprovisioned, false);
    assert.equal(job.pushed.get(user.id), true, 'the app account stays active');
  });

  it('reports an unassigned user never provisioned as skipped, changing nothing', async () => {
    const { user, spId, job, assignment } = setUp();
    h.standin.state.containment.appRoleAssignments.delete(assignment.id);
    job.pushed.clear();
    const result = await graph(['Synchronization.ReadWrite.All']).provisionOnDemand(spId, user.id);
    assert.equal(result.status, 'skipped');
    assert.equal(job.pushed.size, 0);
  });

  it('never reads an unparseable or empty provisioning report as a success', async () => {
    const { user, spId } = setUp();
    const pair = (value: string) => ({ key: 'StatusInfo', value });
    const unreadable = [
      pair('not json'),
      pair('[]'),
      pair(JSON.stringify([{ provisioningSteps: [] }])),
      pair(JSON.stringify([{ provisioningSteps: [{ name: 'EntryExportUpdate' }] }])),
      {},
    ];
    for (const body of unreadable) {
      h.standin.faults.add({ method: 'POST', path: /\/provisionOnDemand$/, status: 200, body });
      const error = await rejection(
        graph(['Synchronization.ReadWrite.All']).provisionOnDemand(spId, user.id),
      );
      assert.equal(error.code, 'ProvisioningReportUnreadable', JSON.stringify(body));
      assert.equal(error.retryable, false);
    }
    h.standin.faults.clear();
  });

  it('turns a 403 into advice naming Synchronization.ReadWrite.All', async () => {
    const { user, spId } = setUp();
    const error = await rejection(
      graph(['Synchronization.Read.All']).provisionOnDemand(spId, user.id),
    );
    assert.equal(error.kind, 'permission');
    assert.match(error.advice ?? '', /Synchronization\.ReadWrite\.All/);
  });

  it('answers not_found for an unknown service principal', async () => {
    const error = await rejection(
      graph(['Synchronization.ReadWrite.All']).provisionOnDemand(randomUUID(), randomUUID()),
    );
    assert.equal(error.kind, 'not_found');
  });

  it('refuses an app without a provisioning job as misconfigured', async () => {
    const spId = randomUUID();
    h.standin.state.containment.servicePrincipals.set(spId, 'No provisioning');
    const error = await rejection(
      graph(['Synchronization.ReadWrite.All']).provisionOnDemand(spId, randomUUID()),
    );
    assert.equal(error.kind, 'misconfigured');
  });

  it('names the app from its service principal', async () => {
    const { spId } = setUp();
    assert.equal(await graph(['Application.Read.All']).getProvisionedAppName(spId), 'Salesforce');
  });
});
