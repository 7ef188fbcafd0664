// Which card view each person gets: decided from the saved request and the approver group.
import { strict as assert } from 'node:assert';
import { RevokeService } from '../../src/core/revoke-service';
import { RevocationEngine } from '../../src/core/revocation/engine';
import { RequestUpdater } from '../../src/core/request-updater';
import type { Person } from '../../src/core/model';
import { loadSandboxTenant } from '../../src/directory/sandbox';
import { FakeClock } from '../support/fake-clock';
import { MemoryRequestStore } from '../support/memory-store';
import { RecordingNotifier } from '../support/recording-notifier';
import { captureLogger } from '../support/capture-logger';

describe('RevokeService.viewerRole', () => {
  async function setUp(): Promise<{ service: RevokeService; person: (upn: string) => Person }> {
    const clock = new FakeClock();
    const sandbox = await loadSandboxTenant(undefined, { clock });
    const store = new MemoryRequestStore();
    const notifier = new RecordingNotifier();
    const logger = captureLogger();
    const engine = new RevocationEngine({
      updater: new RequestUpdater(store),
      directory: sandbox.directory,
      onPrem: sandbox.onPrem,
      notifier,
      clock,
      logger,
      concurrency: 1,
    });
    const service = new RevokeService({
      store,
      directory: sandbox.directory,
      notifier,
      engine,
      clock,
      logger,
      settings: {
        requiredApprovals: 2,
        approvalTimeoutMinutes: 60,
        approverGroupId: sandbox.approverGroupId,
        protectedUsers: [],
        protectedGroupId: sandbox.protectedGroupId,
        onPremConfigured: true,
      },
    });
    const person = (upn: string): Person => {
      const found = sandbox.people.find((p) => p.upn === upn);
      assert.ok(found, upn);
      return { id: found.id, name: found.name };
    };
    return { service, person };
  }

  it('tells the requester, approvers (direct and nested) and everyone else apart', async () => {
    const { service, person } = await setUp();
    const request = await service.requestRevocation({
      target: 'alice.johnson@contoso.com',
      reason: 'Phished',
      requester: person('sam.rivera@contoso.com'),
      conversationReference: '{"serviceUrl":"https://smba.example/","conversation":{"id":"19:x"}}',
    });
    assert.equal(await service.viewerRole(request, person('sam.rivera@contoso.com')), 'requester');
    assert.equal(await service.viewerRole(request, person('priya.patel@contoso.com')), 'approver');
    assert.equal(await service.viewerRole(request, person('marcus.chen@contoso.com')), 'approver');
    assert.equal(await service.viewerRole(request, person('elena.garcia@contoso.com')), 'observer');
  });

  it('gives an approver who asked the requester view, without buttons to approve their own request', async () => {
    const { service, person } = await setUp();
    const priya = person('priya.patel@contoso.com');
    const request = await service.requestRevocation({
      target: 'bob.smith@contoso.com',
      reason: 'Token theft',
      requester: priya,
      conversationReference: '{"serviceUrl":"https://smba.example/","conversation":{"id":"19:x"}}',
    });
    assert.equal(await service.viewerRole(request, priya), 'requester');
  });
});
