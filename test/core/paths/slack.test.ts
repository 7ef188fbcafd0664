// The Slack access path: its plan, restore and residual lines as pure functions, and its gathering
// and actions through the real preparation and engine on the sandbox tenant with the sandbox's
// in-memory Slack org (the adapter itself is tested against the HTTPS stand-in).
import { strict as assert } from 'node:assert';
import { DirectoryError } from '../../../src/core/errors';
import type { RevocationRequest, Step } from '../../../src/core/model';
import { registered } from '../../../src/core/paths/access-path';
import { Connectors } from '../../../src/core/paths/connectors';
import {
  planSlack,
  restoreSlack,
  slackAddresses,
  slackPath,
  SLACK_KINDS,
  SLACK_STEP_IDS,
} from '../../../src/core/paths/slack';
import { SharedLookups } from '../../../src/core/paths/shared-lookups';
import { prepareTarget, type Preparation } from '../../../src/core/request-preparation';
import { RequestUpdater } from '../../../src/core/request-updater';
import { RevocationEngine } from '../../../src/core/revocation/engine';
import { residualAccess } from '../../../src/core/revocation/residual-access';
import { buildRestorePlan } from '../../../src/core/revocation/restore-plan';
import { SLACK, type SlackAccount } from '../../../src/core/saas/slack-port';
import { loadSandboxTenant, type SandboxTenant } from '../../../src/directory/sandbox';
import { SandboxSlack } from '../../../src/directory/sandbox/sandbox-slack';
import { aRequest, aStep } from '../../support/builders';
import { captureLogger } from '../../support/capture-logger';
import { FakeClock } from '../../support/fake-clock';
import { MemoryRequestStore } from '../../support/memory-store';
import { RecordingNotifier } from '../../support/recording-notifier';

const ALICE_MAIL = 'alice.johnson@contoso.com';
const ACCOUNT: SlackAccount = {
  id: 'W00000006',
  userName: 'alice.johnson',
  email: ALICE_MAIL,
  active: true,
};
const NAME = 'alice.johnson (alice.johnson@contoso.com, W00000006)';

describe('the Slack access path', () => {
  describe('plan (pure)', () => {
    it('resets the sessions after the Entra disable, then deactivates, naming the account', () => {
      const { steps, notes } = planSlack(
        { found: 'account', account: ACCOUNT },
        { planned: new Set(['entra-disable']) },
      );
      assert.deepEqual(
        steps.map((s) => [s.id, s.kind, s.dependsOn, s.subject]),
        [
          [
            SLACK_STEP_IDS.resetSessions,
            'slack.resetSessions',
            ['entra-disable'],
            { id: ACCOUNT.id, name: NAME },
          ],
          [
            SLACK_STEP_IDS.deactivate,
            'slack.deactivateUser',
            [SLACK_STEP_IDS.resetSessions],
            { id: ACCOUNT.id, name: NAME },
          ],
        ],
      );
      assert.match(
        steps[0]?.title ?? '',
        /End every Slack session of alice\.johnson \(alice\.johnson@contoso\.com, W00000006\), web and mobile/,
      );
      assert.match(
        steps[1]?.title ?? '',
        /Deactivate the Slack account alice\.johnson .* across the org/,
      );
      assert.deepEqual(notes, []);
    });

    it('runs after nothing an earlier path did not plan', () => {
      const { steps } = planSlack({ found: 'account', account: ACCOUNT }, { planned: new Set() });
      assert.deepEqual(steps[0]?.dependsOn, []);
    });

    it('says an account already deactivated is reset and read back anyway', () => {
      const { steps, notes } = planSlack(
        { found: 'account', account: { ...ACCOUNT, active: false } },
        { planned: new Set() },
      );
      assert.equal(steps.length, 2);
      assert.match(notes[0] ?? '', /already deactivated/);
    });

    it('plans nothing for no account, and says which addresses were looked up', () => {
      const { steps, notes } = planSlack(
        { found: 'none', addresses: ['robert.smith@contoso.com', 'bob.smith@contoso.com'] },
        { planned: new Set() },
      );
      assert.deepEqual(steps, []);
      assert.deepEqual(notes, [
        'Slack: no account has the e-mail address robert.smith@contoso.com or bob.smith@contoso.com, so nothing is planned there.',
      ]);
    });

    it('plans nothing for an ambiguous match and tells the approvers to act by hand', () => {
      const { steps, notes } = planSlack(
        { found: 'ambiguous', why: '2 Slack accounts have x.' },
        { planned: new Set() },
      );
      assert.deepEqual(steps, []);
      assert.match(notes[0] ?? '', /^Slack: NOT planned\. 2 Slack accounts have x\. .*by hand/);
    });

    it('looks a person up by mail, then sign-in name, each once', () => {
      const user = {
        id: 'u',
        displayName: 'B',
        accountEnabled: true,
        onPremisesSyncEnabled: false,
      };
      assert.deepEqual(
        slackAddresses({
          ...user,
          userPrincipalName: 'bob.smith@contoso.com',
          mail: 'robert.smith@contoso.com',
        }),
        ['robert.smith@contoso.com', 'bob.smith@contoso.com'],
      );
      assert.deepEqual(
        slackAddresses({ ...user, userPrincipalName: 'A@contoso.com', mail: 'a@contoso.com' }),
        ['a@contoso.com'],
      );
    });
  });

  describe('restore and residual (pure)', () => {
    const ran = (facts: Step['facts'], status: Step['status'] = 'succeeded'): RevocationRequest =>
      aRequest({
        status: 'completed',
        steps: [
          aStep({
            id: 'entra-disable',
            status: 'succeeded',
            finishedAt: '2026-03-02T10:01:00.000Z',
          }),
          aStep({
            id: SLACK_STEP_IDS.resetSessions,
            kind: SLACK_KINDS.resetSessions,
            subject: { id: ACCOUNT.id, name: NAME },
            status: 'succeeded',
            verification: { state: 'verified' },
            finishedAt: '2026-03-02T10:02:00.000Z',
          }),
          aStep({
            id: SLACK_STEP_IDS.deactivate,
            kind: SLACK_KINDS.deactivate,
            subject: { id: ACCOUNT.id, name: NAME },
            status,
            facts,
            ...(status === 'succeeded'
              ? { verification: { state: 'verified' as const } }
              : { error: { message: 'Slack SCIM user update answered 503.' } as Step['error'] }),
            finishedAt: '2026-03-02T10:03:00.000Z',
          }),
        ],
      });

    it('reactivates only an account that was active before, after the Entra enable', () => {
      const part = restoreSlack(ran({ wasActive: true }), {
        planned: new Set(['restore-entra-enable']),
      });
      assert.deepEqual(
        part.steps.map((s) => [s.id, s.kind, s.dependsOn, s.subject]),
        [
          [
            SLACK_STEP_IDS.reactivate,
            'restore.reactivateSlackUser',
            ['restore-entra-enable'],
            { id: ACCOUNT.id, name: NAME },
          ],
        ],
      );
      assert.deepEqual(part.notRestored, [
        'Slack sessions are not restored: the user signs in to Slack again.',
      ]);
    });

    it('leaves an account that was already deactivated as it was, and says so', () => {
      const part = restoreSlack(ran({ wasActive: false }), { planned: new Set() });
      assert.deepEqual(part.steps, []);
      assert.match(
        part.notes[0] ?? '',
        /was already deactivated before the revocation: it stays deactivated/,
      );
    });

    it('reports what survives a confirmed deactivation, with the times read back', () => {
      const lines = residualAccess(ran({ wasActive: true }), [registeredSlack()]);
      assert.equal(lines.length, 1);
      assert.match(
        lines[0]?.what ?? '',
        /Slack Connect channels, shared files, apps they installed/,
      );
      assert.match(
        lines[0]?.revokeDid ?? '',
        /reset every Slack session at 2026-03-02 10:02 UTC \(read back\); deactivated alice\.johnson .* at 2026-03-02 10:03 UTC \(read back\)/,
      );
      assert.match(lines[0]?.until ?? '', /bot users, slash commands and incoming webhooks/);
    });

    it('reports a failed deactivation as open, with what to do', () => {
      const lines = residualAccess(ran({ wasActive: true }, 'failed'), [registeredSlack()]);
      assert.match(lines[0]?.what ?? '', /^Slack sessions and the Slack account/);
      assert.match(
        lines[0]?.revokeDid ?? '',
        /NOT deactivated \(Slack SCIM user update answered 503\.\)/,
      );
      assert.match(lines[0]?.adminCan ?? '', /retry the failed steps/);
    });

    it('says nothing for a request without Slack steps', () => {
      assert.deepEqual(residualAccess(aRequest({ status: 'completed' }), [registeredSlack()]), []);
    });
  });

  describe('through the preparation and the engine (sandbox)', () => {
    let sandbox: SandboxTenant;
    let clock: FakeClock;
    let slack: SandboxSlack;
    let connectors: Connectors;

    beforeEach(async () => {
      clock = new FakeClock();
      sandbox = await loadSandboxTenant(undefined, { clock });
      slack = new SandboxSlack(sandbox.people);
      connectors = new Connectors().set(SLACK, slack);
    });

    function preparation(with_: Connectors | undefined): Preparation {
      return {
        ports: { directory: sandbox.directory, connectors: with_ },
        retrying: (operation) => operation(),
        clock,
        logger: captureLogger([]),
        settings: { protectedUsers: [], requiredApprovals: 2, onPremConfigured: false },
        shared: new SharedLookups(),
      };
    }

    const input = (address = ALICE_MAIL) => ({
      address,
      profile: 'termination' as const,
      options: { retireDevices: false },
    });

    function aliceInSlack() {
      const alice = [...slack.users.values()].find((u) => u.email === ALICE_MAIL);
      assert.ok(alice);
      return alice;
    }

    it('plans the two steps for the account found, after the Entra steps', async () => {
      const { plan } = await prepareTarget(preparation(connectors), input());
      const ids = plan.steps.map((s) => s.id);
      assert.deepEqual(ids.slice(-2), [SLACK_STEP_IDS.resetSessions, SLACK_STEP_IDS.deactivate]);
      assert.equal(plan.steps.at(-2)?.subject?.id, aliceInSlack().id);
    });

    it('plans nothing without the connector', async () => {
      const { plan } = await prepareTarget(preparation(undefined), input());
      assert.equal(plan.steps.filter((s) => s.kind.startsWith('slack.')).length, 0);
    });

    it('plans nothing but a note when the person has no Slack account', async () => {
      slack.users.delete(aliceInSlack().id);
      const { plan } = await prepareTarget(preparation(connectors), input());
      assert.equal(plan.steps.filter((s) => s.kind.startsWith('slack.')).length, 0);
      assert.ok(
        plan.notes.some((n) =>
          n.startsWith('Slack: no account has the e-mail address alice.johnson@contoso.com'),
        ),
      );
    });

    it('does not refuse the request when two Slack accounts match: it plans no Slack step', async () => {
      slack.users.set('W99999999', {
        ...aliceInSlack(),
        id: 'W99999999',
        userName: 'twin',
        sessions: 1,
      });
      const { plan } = await prepareTarget(preparation(connectors), input());
      assert.equal(plan.steps.filter((s) => s.kind.startsWith('slack.')).length, 0);
      assert.ok(
        plan.steps.some((s) => s.id === 'entra-disable'),
        'the rest of the revocation stands',
      );
      assert.ok(plan.notes.some((n) => n.startsWith('Slack: NOT planned.')));
    });

    it('lets any other Slack failure through, as any directory failure', async () => {
      const failing = new Connectors().set(SLACK, {
        ...slack,
        findUserByEmail: () => Promise.reject(new DirectoryError('permission', 'no scope')),
      } as unknown as SandboxSlack);
      await assert.rejects(prepareTarget(preparation(failing), input()), /no scope/);
    });

    it('resets, deactivates and reads back; restored, it is active again', async () => {
      const { plan, target } = await prepareTarget(preparation(connectors), input());
      const finished = await run(sandbox, clock, connectors, plan.steps, target);
      const reset = finished.steps.find((s) => s.id === SLACK_STEP_IDS.resetSessions);
      const deactivate = finished.steps.find((s) => s.id === SLACK_STEP_IDS.deactivate);
      assert.equal(reset?.status, 'succeeded', reset?.error?.message);
      assert.deepEqual(reset?.verification, { state: 'verified' });
      assert.equal(reset?.facts?.['slackSessionsBefore'], 2);
      assert.equal(deactivate?.status, 'succeeded', deactivate?.error?.message);
      assert.deepEqual(deactivate?.facts, { slackAccount: true, wasActive: true });
      assert.match(
        deactivate?.outcome ?? '',
        /deactivated across the org \(active=false read back\)/,
      );
      assert.equal(aliceInSlack().active, false);
      assert.equal(aliceInSlack().sessions, 0);

      // Run again (a resumed run): harmless, and the prior state recorded first is kept.
      const again = await run(sandbox, clock, connectors, pendingAgain(finished.steps), target);
      const second = again.steps.find((s) => s.id === SLACK_STEP_IDS.deactivate);
      assert.equal(second?.status, 'succeeded');
      assert.match(second?.outcome ?? '', /was already deactivated/);

      const restore = buildRestorePlan(finished);
      const reactivate = restore.steps.find((s) => s.kind === SLACK_KINDS.reactivate);
      assert.deepEqual(reactivate?.dependsOn, ['restore-entra-enable']);
      assert.ok(
        restore.notes.includes(
          'Slack sessions are not restored: the user signs in to Slack again.',
        ),
      );
      const restored = await run(sandbox, clock, connectors, restore.steps, target);
      const step = restored.steps.find((s) => s.kind === SLACK_KINDS.reactivate);
      assert.equal(step?.status, 'succeeded', step?.error?.message);
      assert.match(step?.outcome ?? '', /active again \(active=true read back\)/);
      assert.equal(aliceInSlack().active, true);
    });

    it('fails the deactivation when Slack still shows the account active', async () => {
      const { plan, target } = await prepareTarget(preparation(connectors), input());
      slack.setActive = () => Promise.resolve(); // Slack accepted but changed nothing
      const finished = await run(sandbox, clock, connectors, plan.steps, target);
      const deactivate = finished.steps.find((s) => s.id === SLACK_STEP_IDS.deactivate);
      assert.equal(deactivate?.status, 'failed');
      assert.match(
        deactivate?.error?.message ?? '',
        /Slack still shows alice\.johnson .* as active/,
      );
      assert.deepEqual(deactivate?.facts, { slackAccount: true, wasActive: true });
    });

    it('fails the reset when Slack still lists a session afterwards', async () => {
      const { plan, target } = await prepareTarget(preparation(connectors), input());
      slack.resetSessions = () => Promise.resolve(); // Slack accepted but ended nothing
      const finished = await run(sandbox, clock, connectors, plan.steps, target);
      const reset = finished.steps.find((s) => s.id === SLACK_STEP_IDS.resetSessions);
      assert.equal(reset?.status, 'failed');
      assert.match(reset?.error?.message ?? '', /Slack still lists 2 active session\(s\)/);
    });
  });
});

function registeredSlack() {
  return registered(slackPath);
}

function pendingAgain(steps: Step[]): Step[] {
  return steps
    .filter((s) => s.kind.startsWith('slack.'))
    .map((s) => ({ ...s, status: 'pending' as const, dependsOn: [] }));
}

async function run(
  sandbox: SandboxTenant,
  clock: FakeClock,
  connectors: Connectors,
  steps: RevocationRequest['steps'],
  target: RevocationRequest['target'],
): Promise<RevocationRequest> {
  const store = new MemoryRequestStore();
  const request = aRequest({ id: 'R-SLACK001', status: 'running', target, steps, approvals: [] });
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
    connectors,
  });
  await engine.run(request.id);
  const saved = await store.get(request.id);
  assert.ok(saved);
  return saved;
}
