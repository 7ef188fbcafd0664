// Which card view each person gets: decided from the saved request and the approver group.
import { strict as assert } from 'node:assert';
import { serviceHarness } from '../support/service-harness';

describe('RevokeService.viewerRole', () => {
  async function setUp() {
    return serviceHarness({}, { concurrency: 1 });
  }

  it('tells the requester, approvers (direct and nested) and everyone else apart', async () => {
    const { service, person, ask } = await setUp();
    const request = await ask(
      'alice.johnson@contoso.com',
      'Phished',
      person('sam.rivera@contoso.com'),
    );
    assert.equal(await service.viewerRole(request, person('sam.rivera@contoso.com')), 'requester');
    assert.equal(await service.viewerRole(request, person('priya.patel@contoso.com')), 'approver');
    assert.equal(await service.viewerRole(request, person('marcus.chen@contoso.com')), 'approver');
    assert.equal(await service.viewerRole(request, person('elena.garcia@contoso.com')), 'observer');
  });

  it('gives an approver who asked the requester view, without buttons to approve their own request', async () => {
    const { service, person, ask } = await setUp();
    const priya = person('priya.patel@contoso.com');
    const request = await ask('bob.smith@contoso.com', 'Token theft', priya);
    assert.equal(await service.viewerRole(request, priya), 'requester');
  });
});
