// The engine wired to the sandbox tenant, an in-memory store and a clock that only moves when
// told to, for the engine tests.
import { strict as assert } from 'node:assert';
import { RevocationEngine } from '../../../src/core/revocation/engine';
import { RequestUpdater } from '../../../src/core/request-updater';
import { runbookPlan } from '../../support/runbook-plan';
import type { RevocationRequest, Step, TargetSnapshot } from '../../../src/core/model';
import type { AuditLog, EntraDirectory, OnPremDirectory, RunLeases } from '../../../src/core/ports';
import type { Timers } from '../../../src/core/batch/update-coalescer';
import { loadSandboxTenant, type SandboxTenant } from '../../../src/directory/sandbox';
import { aRequest } from '../../support/builders';
import { FakeClock } from '../../support/fake-clock';
import { MemoryRequestStore } from '../../support/memory-store';
import { RecordingNotifier } from '../../support/recording-notifier';
import { captureLogger, type LogLine } from '../../support/capture-logger';

export const ALICE_UPN = 'alice.johnson@contoso.com';
export const BOB_UPN = 'bob.smith@contoso.com';

export interface Harness {
  sandbox: SandboxTenant;
  store: MemoryRequestStore;
  notifier: RecordingNotifier;
  clock: FakeClock;
  engine: RevocationEngine;
  request: RevocationRequest;
  lines: LogLine[];
}

export async function harness(
  upn: string,
  options: {
    concurrency?: number;
    onPrem?: boolean;
    wrapDirectory?: (d: EntraDirectory) => EntraDirectory;
    leases?: RunLeases;
    lines?: LogLine[];
    /** Card pacing, as app.ts wires it; absent: every step save updates the card. */
    cardUpdateIntervalMs?: number;
    timers?: Timers;
    notifier?: RecordingNotifier;
    clock?: FakeClock;
    audit?: AuditLog;
    /** The run watchdog's quiet period; absent: the engine's default. */
    runStallMs?: number;
    /** The engine's updater over the harness's store; absent: a plain RequestUpdater. */
    updater?: (store: MemoryRequestStore) => RequestUpdater;
  } = {},
): Promise<Harness> {
  const clock = options.clock ?? new FakeClock();
  const sandbox = await loadSandboxTenant(undefined, { clock });
  const user = await sandbox.directory.findUser(upn);
  assert.ok(user);
  const devices = await sandbox.directory.listRegisteredDevices(user.id);
  const target: TargetSnapshot = {
    id: user.id,
    userPrincipalName: user.userPrincipalName,
    displayName: user.displayName,
    onPremisesSynced: user.onPremisesSyncEnabled,
    onPremisesSamAccountName: user.onPremisesSamAccountName,
    onPremisesSecurityIdentifier: user.onPremisesSecurityIdentifier,
    deviceCount: devices.length,
  };
  const onPrem: OnPremDirectory | undefined = options.onPrem === false ? undefined : sandbox.onPrem;
  const plan = runbookPlan(target, devices, { onPremConfigured: onPrem !== undefined });
  const request = aRequest({
    id: 'R-ENGINE01',
    status: 'running',
    target,
    steps: plan.steps,
    approvals: [],
  });
  const store = new MemoryRequestStore();
  await store.create(request);
  const notifier = options.notifier ?? new RecordingNotifier();
  const lines = options.lines ?? [];
  const directory = options.wrapDirectory
    ? options.wrapDirectory(sandbox.directory)
    : sandbox.directory;
  const engine = new RevocationEngine({
    updater: options.updater ? options.updater(store) : new RequestUpdater(store),
    directory,
    onPrem,
    notifier,
    clock,
    logger: captureLogger(lines),
    concurrency: options.concurrency ?? 4,
    retryPolicy: { deadlineMs: 60_000, baseDelayMs: 100 },
    leases: options.leases ? { store: options.leases, owner: 'a', ttlMs: 60_000 } : undefined,
    cardUpdateIntervalMs: options.cardUpdateIntervalMs,
    timers: options.timers,
    audit: options.audit,
    runStallMs: options.runStallMs,
  });
  sandbox.behaviour.clearCalls();
  return { sandbox, store, notifier, clock, engine, request, lines };
}

export async function saved(h: Harness): Promise<RevocationRequest> {
  const request = await h.store.get(h.request.id);
  assert.ok(request);
  return request;
}

export const statusOf = (request: RevocationRequest, id: string): Step['status'] | undefined =>
  request.steps.find((s) => s.id === id)?.status;
