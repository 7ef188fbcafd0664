// What the benchmarks share: the HTTPS Graph stand-in with an app that holds the least-privilege
// permissions, the real Graph adapter pointed at it, and an engine on an in-memory store.
import { randomBytes } from 'node:crypto';
import { systemClock } from '../src/core/clock';
import type { RevocationRequest, TargetSnapshot } from '../src/core/model';
import type { EntraDirectory, Logger, Notifier, OnPremDirectory } from '../src/core/ports';
import { RequestUpdater } from '../src/core/request-updater';
import { RevocationEngine } from '../src/core/revocation/engine';
import { runbookPlan } from '../test/support/runbook-plan';
import { createGraphDirectory } from '../src/directory/graph';
import { SqliteRequestStore } from '../src/store';
import { startEntraStandin, type EntraStandin } from '../test/support/entra-standin';

/** The application roles the runbook's Entra steps need (and the privileged-role check). */
export const RUNBOOK_ROLES = [
  'User.Read.All',
  'User.EnableDisableAccount.All',
  'User.RevokeSessions.All',
  'Device.ReadWrite.All',
  'GroupMember.Read.All',
  'RoleManagement.Read.Directory',
];

export const quietLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => quietLogger,
};

const silentNotifier: Notifier = {
  postRequestCard: async () => undefined,
  updateCard: async () => undefined,
  postMilestone: async () => undefined,
};

export interface GraphBench {
  standin: EntraStandin;
  directory: EntraDirectory;
  stop(): Promise<void>;
}

export async function startGraphBench(): Promise<GraphBench> {
  const standin = await startEntraStandin({});
  const secret = randomBytes(24).toString('base64url');
  const { clientId } = standin.state.addApp({ roles: RUNBOOK_ROLES, secrets: [secret] });
  const directory = createGraphDirectory({
    tenantId: standin.tenantId,
    clientId,
    clientSecret: secret,
    authorityHost: standin.origin,
    graphBaseUrl: standin.origin,
  });
  return { standin, directory, stop: () => standin.stop() };
}

export function snapshotOf(
  user: {
    id: string;
    userPrincipalName: string;
    displayName: string;
    onPremisesSyncEnabled: boolean | null;
    onPremisesSamAccountName: string | null;
    onPremisesSecurityIdentifier: string | null;
  },
  deviceCount: number,
): TargetSnapshot {
  return {
    id: user.id,
    userPrincipalName: user.userPrincipalName,
    displayName: user.displayName,
    onPremisesSynced: user.onPremisesSyncEnabled === true,
    onPremisesSamAccountName: user.onPremisesSamAccountName ?? undefined,
    onPremisesSecurityIdentifier: user.onPremisesSecurityIdentifier ?? undefined,
    deviceCount,
  };
}

/** An approved request (status running) for `target`, planned as the service would. */
export function runningRequest(
  id: string,
  target: TargetSnapshot,
  devices: { id: string; displayName: string }[],
  onPremConfigured: boolean,
): RevocationRequest {
  const plan = runbookPlan(
    target,
    devices.map((d) => ({ ...d, accountEnabled: true })),
    { onPremConfigured },
  );
  const now = new Date().toISOString();
  const person = { id: 'bench-requester', name: 'Bench' };
  return {
    id,
    version: 1,
    status: 'running',
    target,
    reason: 'benchmark',
    requester: person,
    createdAt: now,
    expiresAt: now,
    requiredApprovals: 2,
    approvals: [],
    steps: plan.steps,
    planNotes: plan.notes,
    runStartedAt: now,
    card: { conversationReference: '{}' },
  };
}

export function benchEngine(
  store: SqliteRequestStore,
  directory: EntraDirectory,
  onPrem: OnPremDirectory | undefined,
  concurrency: number,
): RevocationEngine {
  return new RevocationEngine({
    updater: new RequestUpdater(store),
    directory,
    onPrem,
    notifier: silentNotifier,
    clock: systemClock,
    logger: quietLogger,
    concurrency,
    retryPolicy: { deadlineMs: 170_000, maxAttempts: 50 },
  });
}
