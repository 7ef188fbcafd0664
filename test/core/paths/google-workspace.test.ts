// The Google Workspace path: its plan, restore and residual lines as pure functions, its look-up
// before approval, and its actions through the real engine on the sandbox tenant with the
// sandbox's Google Workspace (sign out, suspend, read back, restore only what it changed).
import { strict as assert } from 'node:assert';
import { DirectoryError } from '../../../src/core/errors';
import type { RevocationRequest, Step } from '../../../src/core/model';
import { Connectors } from '../../../src/core/paths/connectors';
import {
  GOOGLE_KINDS,
  GOOGLE_STEP_IDS,
  googleAddresses,
  googleLines,
  googleWorkspacePath,
  planGoogle,
  restoreGoogle,
} from '../../../src/core/paths/google-workspace';
import { SharedLookups } from '../../../src/core/paths/shared-lookups';
import { prepareTarget, type Preparation } from '../../../src/core/request-preparation';
import { RequestUpdater } from '../../../src/core/request-updater';
import { RevocationEngine } from '../../../src/core/revocation/engine';
import { residualAccess } from '../../../src/core/revocation/residual-access';
import { buildRestorePlan } from '../../../src/core/revocation/restore-plan';
import {
  GOOGLE_WORKSPACE,
  type GoogleWorkspaceDirectory,
} from '../../../src/core/saas/google-workspace-port';
import { loadSandboxTenant, type SandboxTenant } from '../../../src/directory/sandbox';
import { SandboxGoogleWorkspace } from '../../../src/directory/sandbox/sandbox-google-workspace';
import { aRequest, aStep } from '../../support/builders';
import { captureLogger } from '../../support/capture-logger';
import { FakeClock } from '../../support/fake-clock';
import { MemoryRequestStore } from '../../support/memory-store';
import { RecordingNotifier } from '../../support/recording-notifier';

const ALICE = 'alice.johnson@contoso.com';
const ACCOUNT = { id: '103000000000000000042', primaryEmail: ALICE, suspended: false };
const WITH_DISABLE = new Set(['entra-disable']);

function googleStep(kind: string, overrides: Partial<Step> = {}): Step {
  const id = kind === GOOGLE_KINDS.signOut ? GOOGLE_STEP_IDS.signOut : GOOGLE_STEP_IDS.suspend;
  return aStep({ id, kind, subject: { id: ACCOUNT.id, name: ALICE }, ...overrides });
}

function finished(steps: Step[]): RevocationRequest {
  return aRequest({ status: 'completed', steps });
}

describe('the Google Workspace path', () => {
  describe('plan', () => {
    it('signs the account out, then suspends it, both naming it and after the Entra disable', () => {
      const { steps, notes } = planGoogle(
        { addresses: [ALICE], account: ACCOUNT },
        { planned: WITH_DISABLE },
      );
      assert.deepEqual(
        steps.map((s) => [s.id, s.kind, s.title, s.dependsOn, s.subject]),
        [
          [
            'google-sign-out',
            'google.signOut',
            `Sign ${ALICE} out of every Google Workspace web and device session`,
            ['entra-disable'],
            { id: ACCOUNT.id, name: ALICE },
          ],
          [
            'google-suspend',
            'google.suspendUser',
            `Suspend the Google Workspace account ${ALICE}`,
            ['entra-disable', 'google-sign-out'],
            { id: ACCOUNT.id, name: ALICE },
          ],
        ],
      );
      assert.deepEqual(notes, []);
      const alone = planGoogle({ addresses: [ALICE], account: ACCOUNT }, { planned: new Set() });
      assert.deepEqual(
        alone.steps[0]?.dependsOn,
        [],
        'no Entra disable planned: nothing to wait for',
      );
    });

    it('says so when the account is already suspended', () => {
      const { steps, notes } = planGoogle(
        { addresses: [ALICE], account: { ...ACCOUNT, suspended: true } },
        { planned: WITH_DISABLE },
      );
      assert.equal(steps.length, 2);
      assert.match(notes[0] ?? '', /already suspended: it is signed out anyway/);
    });

    it('plans nothing but a note when Google has no account, or could not be searched', () => {
      const none = planGoogle(
        { addresses: [ALICE, 'alice@contoso.com'] },
        { planned: WITH_DISABLE },
      );
      assert.deepEqual(none.steps, []);
      assert.deepEqual(none.notes, [
        `No Google Workspace account for ${ALICE} or alice@contoso.com (no primary email or alias is exactly that address): nothing to do there.`,
      ]);
      const down = planGoogle(
        { addresses: [ALICE], unsearched: 'Google Workspace could not be reached' },
        { planned: WITH_DISABLE },
      );
      assert.deepEqual(down.steps, []);
      assert.match(
        down.notes[0] ?? '',
        /could not be searched .*Sign the user out and suspend them/,
      );
    });

    it('asks about the UPN and the mail, each once whatever its case', () => {
      assert.deepEqual(
        googleAddresses({ userPrincipalName: ALICE, mail: 'Alice.Johnson@contoso.com' }),
        [ALICE],
      );
      assert.deepEqual(googleAddresses({ userPrincipalName: ALICE, mail: 'aj@contoso.com' }), [
        ALICE,
        'aj@contoso.com',
      ]);
    });
  });

  describe('restore', () => {
    it('un-suspends only an account this revocation suspended, and never restores sessions', () => {
      const request = finished([
        googleStep(GOOGLE_KINDS.signOut, { status: 'succeeded' }),
        googleStep(GOOGLE_KINDS.suspend, { status: 'succeeded', facts: { wasSuspended: false } }),
      ]);
      const part = restoreGoogle(request, { planned: new Set(['restore-entra-enable']) });
      assert.deepEqual(
        part.steps.map((s) => [s.id, s.kind, s.dependsOn, s.subject]),
        [
          [
            'restore-google-unsuspend',
            'restore.unsuspendGoogleUser',
            ['restore-entra-enable'],
            { id: ACCOUNT.id, name: ALICE },
          ],
        ],
      );
      assert.deepEqual(part.notRestored, [
        `Google Workspace sessions are not restored: ${ALICE} signs in to Google again.`,
      ]);
    });

    it('leaves an account that was suspended before as it was, and says so', () => {
      const part = restoreGoogle(
        finished([
          googleStep(GOOGLE_KINDS.signOut, { status: 'succeeded' }),
          googleStep(GOOGLE_KINDS.suspend, { status: 'succeeded', facts: { wasSuspended: true } }),
        ]),
        { planned: new Set() },
      );
      assert.deepEqual(part.steps, []);
      assert.match(part.notes[0] ?? '', /was already suspended before the revocation/);
    });

    it('does nothing for a request without Google steps', () => {
      assert.deepEqual(
        restoreGoogle(finished([aStep({ status: 'succeeded' })]), { planned: new Set() }),
        {
          steps: [],
          notes: [],
          notRestored: [],
        },
      );
    });
  });

  describe('what may still work', () => {
    it('names the sign-out as accepted, the suspension as read back, and what Revoke leaves', () => {
      const lines = googleLines(
        finished([
          googleStep(GOOGLE_KINDS.signOut, {
            status: 'succeeded',
            finishedAt: '2026-03-02T10:05:00.000Z',
            verification: { state: 'unverifiable', why: 'no read-back' },
          }),
          googleStep(GOOGLE_KINDS.suspend, {
            status: 'succeeded',
            facts: { wasSuspended: false },
            verification: { state: 'verified' },
          }),
        ]),
      );
      assert.equal(lines.length, 1);
      const [line] = lines;
      assert.equal(line?.what, `Google Workspace sessions and app tokens of ${ALICE}`);
      assert.match(line?.until ?? '', /until 2026-03-02 11:05 UTC \(Google's figure\)/);
      assert.match(line?.until ?? '', /OAuth tokens of apps and app passwords/);
      assert.doesNotMatch(line?.until ?? '', /new sign-ins/);
      assert.match(
        line?.revokeDid ?? '',
        /at 2026-03-02 10:05 UTC .*accepted \(it offers no read-back\); suspended the account \(read back\)$/,
      );
      assert.doesNotMatch(line?.adminCan ?? '', /retry/);
    });

    it('says what did not happen when a step failed', () => {
      const [line] = googleLines(
        finished([
          googleStep(GOOGLE_KINDS.signOut, {
            status: 'succeeded',
            finishedAt: '2026-03-02T10:05:00.000Z',
          }),
          googleStep(GOOGLE_KINDS.suspend, {
            status: 'failed',
            error: { code: 'forbidden', message: 'Google Workspace refused' },
          }),
        ]),
      );
      assert.match(
        line?.revokeDid ?? '',
        /did NOT suspend the account \(failed: Google Workspace refused\)/,
      );
      assert.match(line?.until ?? '', /new sign-ins until the account is suspended/);
      assert.match(line?.adminCan ?? '', /^retry the failed steps/);
    });

    it('has no line without Google steps', () => {
      assert.deepEqual(googleLines(finished([aStep({ status: 'succeeded' })])), []);
    });
  });

  describe('through the engine, on the sandbox tenant', () => {
    let sandbox: SandboxTenant;
    let clock: FakeClock;

    beforeEach(async () => {
      clock = new FakeClock();
      sandbox = await loadSandboxTenant(undefined, { clock });
    });

    function preparation(google: GoogleWorkspaceDirectory | undefined): Preparation {
      const connectors = new Connectors();
      if (google) connectors.set(GOOGLE_WORKSPACE, google);
      return {
        ports: { directory: sandbox.directory, connectors },
        retrying: (operation) => operation(),
        clock,
        logger: captureLogger([]),
        settings: { protectedUsers: [], requiredApprovals: 2, onPremConfigured: false },
        shared: new SharedLookups(),
      };
    }

    const input = {
      address: ALICE,
      profile: 'termination' as const,
      options: { retireDevices: false },
    };

    async function run(
      google: GoogleWorkspaceDirectory,
      steps: Step[],
      target: RevocationRequest['target'],
      id = 'R-GOOG0001',
    ): Promise<RevocationRequest> {
      const store = new MemoryRequestStore();
      const request = aRequest({
        id,
        status: 'running',
        target,
        steps,
        approvals: [],
      });
      await store.create(request);
      const engine = new RevocationEngine({
        updater: new RequestUpdater(store),
        directory: sandbox.directory,
        onPrem: undefined,
        containment: sandbox.containment,
        notifier: new RecordingNotifier(),
        clock,
        logger: captureLogger([]),
        concurrency: 2,
        retryPolicy: { maxAttempts: 1 },
        connectors: new Connectors().set(GOOGLE_WORKSPACE, google),
      });
      await engine.run(request.id);
      const saved = await store.get(request.id);
      assert.ok(saved);
      return saved;
    }

    it('plans nothing when Google Workspace is not configured', async () => {
      const { plan } = await prepareTarget(preparation(undefined), input);
      assert.equal(plan.steps.filter((s) => s.kind.startsWith('google.')).length, 0);
      assert.ok(!plan.notes.some((n) => n.includes('Google')));
    });

    it('signs out and suspends the account it named, read back, then restores it', async () => {
      const google = new SandboxGoogleWorkspace(sandbox.people);
      const account = google.accounts.find((a) => a.primaryEmail === ALICE);
      assert.ok(account);
      const { plan, target } = await prepareTarget(preparation(google), input);
      const planned = plan.steps.filter((s) => s.kind.startsWith('google.'));
      assert.deepEqual(
        planned.map((s) => s.subject),
        [
          { id: account.id, name: ALICE },
          { id: account.id, name: ALICE },
        ],
      );

      const done = await run(google, plan.steps, target);
      const signOut = done.steps.find((s) => s.id === 'google-sign-out');
      const suspend = done.steps.find((s) => s.id === 'google-suspend');
      assert.equal(signOut?.status, 'succeeded', signOut?.error?.message);
      assert.equal(signOut?.verification?.state, 'unverifiable');
      assert.equal(suspend?.status, 'succeeded', suspend?.error?.message);
      assert.deepEqual(suspend?.verification, { state: 'verified' });
      assert.deepEqual(suspend?.facts, { wasSuspended: false });
      assert.equal(account.suspended, true);
      assert.equal(account.signOuts, 1);
      const whats = residualAccess(done).map((l) => l.what);
      assert.ok(
        whats.includes(`Google Workspace sessions and app tokens of ${ALICE}`),
        whats.join(' | '),
      );

      const restore = buildRestorePlan(done);
      const unsuspend = restore.steps.find((s) => s.kind === GOOGLE_KINDS.unsuspend);
      assert.ok(unsuspend, 'the restore un-suspends it');
      const restored = await run(google, restore.steps, target, 'R-GOOG0002');
      const step = restored.steps.find((s) => s.kind === GOOGLE_KINDS.unsuspend);
      assert.equal(step?.status, 'succeeded', step?.error?.message);
      assert.deepEqual(step?.verification, { state: 'verified' });
      assert.equal(account.suspended, false);
    });

    it('has the drift guard name the account when someone un-suspends it', async () => {
      const google = new SandboxGoogleWorkspace(sandbox.people);
      const account = google.accounts.find((a) => a.primaryEmail === ALICE);
      assert.ok(account);
      const request = finished([
        googleStep(GOOGLE_KINDS.suspend, {
          status: 'succeeded',
          subject: { id: account.id, name: ALICE },
        }),
      ]);
      const drift = googleWorkspacePath.drift;
      assert.ok(drift);
      const ports = {
        directory: sandbox.directory,
        connectors: new Connectors().set(GOOGLE_WORKSPACE, google),
      };
      account.suspended = true;
      assert.equal(await drift.reEnabled(request, ports, (op) => op()), undefined);
      account.suspended = false;
      assert.equal(
        await drift.reEnabled(request, ports, (op) => op()),
        `Google Workspace account ${ALICE}`,
      );
    });

    it('touches no Google account when the addresses lead to two, and the plan says so', async () => {
      const google = new SandboxGoogleWorkspace(sandbox.people);
      const other = google.accounts.find((a) => a.primaryEmail !== ALICE);
      other?.aliases.push(ALICE);
      const { plan } = await prepareTarget(preparation(google), input);
      assert.equal(plan.steps.filter((s) => s.kind.startsWith('google.')).length, 0);
      assert.ok(plan.steps.some((s) => s.id === 'entra-disable'));
      assert.ok(
        plan.notes.some((n) =>
          /Google Workspace has several accounts for .*none is touched/.test(n),
        ),
        plan.notes.join(' / '),
      );
    });

    it('still makes the request when Google cannot be searched, and the plan says so', async () => {
      const down: GoogleWorkspaceDirectory = {
        findUser: () =>
          Promise.reject(new DirectoryError('transient', 'Google Workspace could not be reached.')),
        getUser: () => Promise.resolve(undefined),
        signOut: () => Promise.resolve(),
        setSuspended: () => Promise.resolve(),
      };
      const { plan } = await prepareTarget(preparation(down), input);
      assert.equal(plan.steps.filter((s) => s.kind.startsWith('google.')).length, 0);
      assert.ok(
        plan.steps.some((s) => s.id === 'entra-disable'),
        'the rest of the plan stands',
      );
      assert.ok(
        plan.notes.some((n) => n.includes('Google Workspace could not be searched for')),
        plan.notes.join(' | '),
      );
    });
  });
});
