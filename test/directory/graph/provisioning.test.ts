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

  function setUp() {
    const user = h.standin.state.addUser({ userPrincipalName: `${randomUUID()}@contoso.com` });
    const spId = randomUUID();
    const job = h.standin.state.containment.addProvisioningJob(spId, 'Salesforce');
    job.inScope.add(user.id);
    return { user, spId, job };
  }

  it('finds the job and its user rule, then pushes the disabled account to the app', async () => {
    const { user, spId, job } = setUp();
    user.accountEnabled = false;
    const result = await graph(['Synchronization.ReadWrite.All']).provisionOnDemand(spId, user.id);
    assert.equal(result.status, 'success');
    assert.match(result.detail, /EntryExportUpdate: success/);
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

  it('reports a user outside the job scope as skipped, changing nothing', async () => {
    const { user, spId, job } = setUp();
    job.inScope.clear();
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
