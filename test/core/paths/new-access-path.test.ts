// The promise of the access-path shape: a path added to the registry is gathered, planned, run,
// restored and reported with no change anywhere else. "Acme" here is a made-up SaaS app whose
// connector keeps its sessions in memory; everything around it is the real core on the sandbox
// tenant (its directory, the plan builder, the engine, the restore plan and the residual report).
import { strict as assert } from 'node:assert';
import type { RevocationRequest } from '../../../src/core/model';
import {
  pendingStep,
  registered,
  type AccessPath,
  type RegisteredPath,
} from '../../../src/core/paths/access-path';
import { Connectors, connectorKey } from '../../../src/core/paths/connectors';
import { ENTRA_ACCOUNT_STEP_IDS } from '../../../src/core/paths/entra-account';
import { ACCESS_PATHS, AccessPathConflict, stepActions } from '../../../src/core/paths/registry';
import { SharedLookups } from '../../../src/core/paths/shared-lookups';
import { prepareTarget, type Preparation } from '../../../src/core/request-preparation';
import { RequestUpdater } from '../../../src/core/request-updater';
import { RevocationEngine } from '../../../src/core/revocation/engine';
import { residualAccess } from '../../../src/core/revocation/residual-access';
import { buildRestorePlan } from '../../../src/core/revocation/restore-plan';
import type { StepContext } from '../../../src/core/revocation/step-context';
import { verified, type StepResult } from '../../../src/core/revocation/step-result';
import { loadSandboxTenant, type SandboxTenant } from '../../../src/directory/sandbox';
import { aRequest } from '../../support/builders';
import { captureLogger } from '../../support/capture-logger';
import { FakeClock } from '../../support/fake-clock';
import { MemoryRequestStore } from '../../support/memory-store';
import { RecordingNotifier } from '../../support/recording-notifier';

const ALICE = 'alice.johnson@contoso.com';

/** The connector's port, as a real one would declare it. */
interface AcmeSessions {
  findAccount(email: string): Promise<{ id: string } | undefined>;
  sessionCount(id: string): Promise<number>;
  endSessions(id: string): Promise<void>;
}

const ACME = connectorKey<AcmeSessions>('acme');

class InMemoryAcme implements AcmeSessions {
  readonly sessions = new Map<string, number>([['acme-7', 3]]);
  findAccount(email: string) {
    return Promise.resolve(email === ALICE ? { id: 'acme-7' } : undefined);
  }
  sessionCount(id: string) {
    return Promise.resolve(this.sessions.get(id) ?? 0);
  }
  endSessions(id: string) {
    this.sessions.set(id, 0);
    return Promise.resolve();
  }
}

async function endAcmeSessions(context: StepContext): Promise<StepResult> {
  const { connectors, step, retrying, remember } = context;
  const acme = connectors?.get(ACME);
  const id = step.subject?.id;
  if (!acme || !id) throw new Error('no Acme connector or account');
  await remember({ sessionsBefore: await retrying(() => acme.sessionCount(id)) });
  await retrying(() => acme.endSessions(id));
  const left = await retrying(() => acme.sessionCount(id));
  if (left !== 0) throw new Error(`${left} Acme sessions left`);
  return verified('Acme sessions ended (0 read back)');
}

const acmePath: AccessPath<{ id: string }> = {
  name: 'acme',
  title: 'Acme sessions',
  actions: { 'acme.endSessions': endAcmeSessions },
  async gather({ connectors, user, retrying }) {
    const acme = connectors?.get(ACME);
    if (!acme) return undefined;
    return retrying(() => acme.findAccount(user.userPrincipalName));
  },
  plan: (account, { planned }) => ({
    steps: [
      {
        ...pendingStep(
          'acme-sessions',
          'acme.endSessions',
          'End every Acme session',
          planned.has(ENTRA_ACCOUNT_STEP_IDS.disable) ? [ENTRA_ACCOUNT_STEP_IDS.disable] : [],
        ),
        subject: { id: account.id, name: `Acme account ${account.id}` },
      },
    ],
    notes: ['Acme keeps audit logs for 30 days.'],
  }),
  restore: () => ({
    steps: [],
    notes: [],
    notRestored: ['Acme sessions are not restored: the user signs in to Acme again.'],
  }),
  residual: {
    rank: 25,
    lines: () => [
      {
        what: 'Acme mobile app offline cache',
        until: 'until the app next syncs',
        revokeDid: 'ended every Acme session',
        adminCan: 'nothing more',
      },
    ],
  },
};

const WITH_ACME: readonly RegisteredPath[] = [...ACCESS_PATHS, registered(acmePath)];

describe('a new access path, added to the registry alone', () => {
  let sandbox: SandboxTenant;
  let clock: FakeClock;

  beforeEach(async () => {
    clock = new FakeClock();
    sandbox = await loadSandboxTenant(undefined, { clock });
  });

  function preparation(connectors: Connectors | undefined, paths = WITH_ACME): Preparation {
    return {
      ports: { directory: sandbox.directory, connectors },
      retrying: (operation) => operation(),
      clock,
      logger: captureLogger([]),
      settings: { protectedUsers: [], requiredApprovals: 2, onPremConfigured: false },
      shared: new SharedLookups(),
      paths,
    };
  }

  const input = {
    address: ALICE,
    profile: 'termination' as const,
    options: { retireDevices: false },
  };

  it('is gathered and planned after the steps it runs after, with its notes', async () => {
    const acme = new InMemoryAcme();
    const { plan } = await prepareTarget(preparation(new Connectors().set(ACME, acme)), input);
    const step = plan.steps.find((s) => s.id === 'acme-sessions');
    assert.ok(step, 'the new path planned its step');
    assert.deepEqual(step.dependsOn, ['entra-disable']);
    assert.deepEqual(step.subject, { id: 'acme-7', name: 'Acme account acme-7' });
    assert.ok(plan.notes.includes('Acme keeps audit logs for 30 days.'));
    // The registry's own paths are all still there, in their order, before it.
    assert.equal(plan.steps.at(-1)?.id, 'acme-sessions');
    assert.equal(plan.steps[0]?.id, 'entra-disable');
  });

  it('plans nothing where its connector is not configured', async () => {
    const { plan } = await prepareTarget(preparation(undefined), input);
    assert.equal(plan.steps.filter((s) => s.kind === 'acme.endSessions').length, 0);
  });

  it('runs in the engine, read back, and is restored and reported', async () => {
    const acme = new InMemoryAcme();
    const connectors = new Connectors().set(ACME, acme);
    const { plan, target } = await prepareTarget(preparation(connectors), input);
    const finished = await run(sandbox, clock, connectors, plan.steps, target, WITH_ACME);
    const step = finished.steps.find((s) => s.id === 'acme-sessions');
    assert.equal(step?.status, 'succeeded', step?.error?.message);
    assert.deepEqual(step?.verification, { state: 'verified' });
    assert.equal(step?.facts?.['sessionsBefore'], 3);
    assert.equal(acme.sessions.get('acme-7'), 0);

    const restore = buildRestorePlan(finished, WITH_ACME);
    assert.ok(
      restore.notes.includes('Acme sessions are not restored: the user signs in to Acme again.'),
    );
    const whats = residualAccess(finished, WITH_ACME).map((line) => line.what);
    // Rank 25: after the apps' line (20), before the devices' (30).
    const acmeAt = whats.indexOf('Acme mobile app offline cache');
    assert.equal(whats[acmeAt - 1], 'Apps that keep their own session cookie after sign-in');
    assert.match(whats[acmeAt + 1] ?? '', /^Data already on the user's devices/);
  });

  it("fails a step whose kind this version's registry does not know, saying so", async () => {
    const acme = new InMemoryAcme();
    const connectors = new Connectors().set(ACME, acme);
    const { plan, target } = await prepareTarget(preparation(connectors), input);
    // The same request, run by an engine without the path (an older version, say).
    const finished = await run(sandbox, clock, connectors, plan.steps, target, ACCESS_PATHS);
    const step = finished.steps.find((s) => s.id === 'acme-sessions');
    assert.equal(step?.status, 'failed');
    assert.match(
      step?.error?.message ?? '',
      /No access path of this version runs steps of kind acme\.endSessions/,
    );
    assert.equal(acme.sessions.get('acme-7'), 3);
    assert.equal(finished.steps.find((s) => s.id === 'entra-disable')?.status, 'succeeded');
  });

  it('may not claim a step kind another path owns, nor another path’s name', () => {
    const thief = registered({ ...acmePath, actions: { 'entra.disableAccount': endAcmeSessions } });
    assert.throws(
      () => stepActions([...ACCESS_PATHS, thief]),
      (error: unknown) => {
        assert.ok(error instanceof AccessPathConflict);
        assert.match(
          error.message,
          /entra\.disableAccount is claimed by both entra-account and acme/,
        );
        return true;
      },
    );
    const twin = registered({ ...acmePath, name: 'entra-devices', actions: {} });
    assert.throws(
      () => stepActions([...ACCESS_PATHS, twin]),
      /Two access paths are named entra-devices/,
    );
  });
});

async function run(
  sandbox: SandboxTenant,
  clock: FakeClock,
  connectors: Connectors,
  steps: RevocationRequest['steps'],
  target: RevocationRequest['target'],
  paths: readonly RegisteredPath[],
): Promise<RevocationRequest> {
  const store = new MemoryRequestStore();
  const request = aRequest({ id: 'R-ACME0001', status: 'running', target, steps, approvals: [] });
  await store.create(request);
  const engine = new RevocationEngine({
    updater: new RequestUpdater(store),
    directory: sandbox.directory,
    onPrem: undefined,
    notifier: new RecordingNotifier(),
    clock,
    logger: captureLogger([]),
    concurrency: 2,
    retryPolicy: { maxAttempts: 1 },
    connectors,
    paths,
  });
  await engine.run(request.id);
  const saved = await store.get(request.id);
  assert.ok(saved);
  return saved;
}
