// The core wired for tests without I/O: the sandbox tenant as both directories, an in-memory
// store and audit log, a recording notifier and a clock that only moves when told to.
import { strict as assert } from 'node:assert';
import { RevokeService, type ServiceSettings } from '../../src/core/revoke-service';
import { RevocationEngine } from '../../src/core/revocation/engine';
import { DriftGuard } from '../../src/core/drift-guard';
import { RequestUpdater } from '../../src/core/request-updater';
import { RequestRefused } from '../../src/core/errors';
import type { Person, RevocationRequest } from '../../src/core/model';
import type { ScimApps } from '../../src/core/app-ports';
import type { Pager } from '../../src/core/paging/pager';
import { loadSandboxTenant, type SandboxTenant } from '../../src/directory/sandbox';
import { FakeClock } from './fake-clock';
import { MemoryRequestStore } from './memory-store';
import { MemoryAuditLog } from './memory-audit-log';
import { RecordingNotifier } from './recording-notifier';
import { captureLogger } from './capture-logger';

/** A conversation reference as the Teams adapter stores it; the core never looks inside. */
export const THREAD_REFERENCE =
  '{"serviceUrl":"https://smba.example/","conversation":{"id":"19:x;messageid=1"}}';

export interface ServiceHarness {
  service: RevokeService;
  engine: RevocationEngine;
  /** Reads the accounts again `driftCheckMinutes` after a run (only when that option is set). */
  driftGuard: DriftGuard;
  store: MemoryRequestStore;
  notifier: RecordingNotifier;
  audit: MemoryAuditLog;
  clock: FakeClock;
  sandbox: SandboxTenant;
  /** A sandbox person by UPN, as the Teams adapter would pass them. */
  person(upn: string): Person;
  /** Sam Rivera (the sandbox's requester) asks to revoke `target`. */
  ask(target: string, reason?: string, requester?: Person): Promise<RevocationRequest>;
}

export async function serviceHarness(
  settings: Partial<ServiceSettings> = {},
  options: {
    concurrency?: number;
    driftCheckMinutes?: number;
    scim?: ScimApps;
    /** Pagers for the outreach sweep (on-call is paged for new revocations). */
    pagers?: Pager[];
  } = {},
): Promise<ServiceHarness> {
  const clock = new FakeClock();
  const sandbox = await loadSandboxTenant(undefined, { clock });
  const store = new MemoryRequestStore();
  const notifier = new RecordingNotifier();
  const logger = captureLogger();
  const audit = new MemoryAuditLog();
  const engine = new RevocationEngine({
    updater: new RequestUpdater(store),
    directory: sandbox.directory,
    onPrem: sandbox.onPrem,
    containment: sandbox.containment,
    onPremRestore: sandbox.onPrem,
    provisioning: sandbox.provisioning,
    scim: options.scim,
    notifier,
    clock,
    logger,
    concurrency: options.concurrency ?? 4,
    audit,
    driftCheckMinutes: options.driftCheckMinutes,
  });
  const driftGuard = new DriftGuard({
    store,
    directory: sandbox.directory,
    onPrem: sandbox.onPrem,
    notifier,
    clock,
    logger,
    audit,
  });
  const service = new RevokeService({
    store,
    directory: sandbox.directory,
    notifier,
    engine,
    clock,
    logger,
    audit,
    settings: {
      requiredApprovals: 2,
      approvalTimeoutMinutes: 60,
      approverGroupId: sandbox.approverGroupId,
      protectedUsers: [],
      protectedGroupId: sandbox.protectedGroupId,
      onPremConfigured: true,
      containmentGroupId: sandbox.containmentGroupId,
      ...settings,
    },
    containment: sandbox.containment,
    provisioning: sandbox.provisioning,
    scim: options.scim,
    pagers: options.pagers,
  });
  const person = (upn: string): Person => {
    const found = sandbox.people.find((p) => p.upn === upn);
    assert.ok(found, `no sandbox person ${upn}`);
    return { id: found.id, name: found.name, channelAccountId: found.channelAccountId };
  };
  const ask = (
    target: string,
    reason = 'Token theft',
    requester = person('sam.rivera@contoso.com'),
  ) =>
    service.requestRevocation({
      target,
      reason,
      requester,
      conversationReference: THREAD_REFERENCE,
    });
  return { service, engine, driftGuard, store, notifier, audit, clock, sandbox, person, ask };
}

/** Awaits `promise` and returns the RequestRefused it must reject with. */
export async function refusalOf(promise: Promise<unknown>): Promise<RequestRefused> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof RequestRefused, String(error));
    return error;
  }
  assert.fail('expected a refusal');
}

/** Priya and Marcus (two sandbox approvers) approve `request`; the run is awaited to its end. */
export async function approveAndRun(
  h: ServiceHarness,
  request: RevocationRequest,
): Promise<RevocationRequest> {
  await h.service.handleCardAction('approve', request.id, h.person('priya.patel@contoso.com'));
  await h.service.handleCardAction('approve', request.id, h.person('marcus.chen@contoso.com'));
  await h.engine.run(request.id);
  const done = await h.store.get(request.id);
  assert.ok(done, `request ${request.id} vanished`);
  return done;
}
