// The provisioned-app step and its restore, run against the sandbox's directory and provisioning
// (which behave as Entra ID's do): repeated after a crash it keeps what it first saw; it says when
// a group assignment or an account already disabled leaves the app to the job's next cycle.
import { strict as assert } from 'node:assert';
import { DEFAULT_ACCESS_APP_ROLE } from '../../../src/core/app-ports';
import { DirectoryError } from '../../../src/core/errors';
import type { Step, StepFacts, TargetSnapshot } from '../../../src/core/model';
import { APP_KINDS, appsPath, provisioningStepId } from '../../../src/core/paths/apps';
import type { StepContext } from '../../../src/core/revocation/step-context';
import type { StepResult } from '../../../src/core/revocation/step-result';
import { loadSandboxTenant, type SandboxTenant } from '../../../src/directory/sandbox';
import { aRequest } from '../../support/builders';

const APP = '7d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6';
const ALICE = 'a17201cf-0dfb-4500-802b-04577183531d';
const PRIYA = '2b424d6f-9516-45f8-b57c-5000f2cfe62d';
const APPROVERS = { id: '13371b25-3f89-43d7-9bc9-09379c4d68f6', name: 'Revoke Approvers' };

function target(id: string): TargetSnapshot {
  return {
    id,
    userPrincipalName: `${id}@contoso.com`,
    displayName: id,
    onPremisesSynced: false,
    deviceCount: 0,
  };
}

/** The step as the runner gives it: `remember` keeps keys already saved, as the runner's does. */
function runner(
  sandbox: SandboxTenant,
  userId: string,
  kind: string = APP_KINDS.provisionOnDemand,
) {
  const step: Step = {
    id: provisioningStepId(APP),
    kind,
    title: 'Unassign and provision on demand',
    dependsOn: [],
    status: 'running',
    attempts: 1,
    subject: { id: APP, name: 'Demo app' },
  };
  const context: StepContext = {
    directory: sandbox.directory,
    provisioning: sandbox.provisioning,
    target: target(userId),
    step,
    retrying: (operation) => operation(),
    remember: (facts: StepFacts) => {
      step.facts = { ...facts, ...step.facts };
      return Promise.resolve();
    },
  };
  const action = appsPath.actions[kind];
  assert.ok(action);
  return { step, run: (): Promise<StepResult> => action(context) };
}

describe('apps path: the provisioned-app step (sandbox)', () => {
  let sandbox: SandboxTenant;
  beforeEach(async () => {
    sandbox = await loadSandboxTenant();
  });

  it('repeated after a crash that followed the unassignment, keeps the assignment it first saw', async () => {
    const { step, run } = runner(sandbox, ALICE);
    sandbox.behaviour.failNext(
      'removeAppAssignment',
      new DirectoryError('transient', 'the instance died here'),
      { afterEffect: true },
    );
    await assert.rejects(run(), /the instance died here/);
    assert.equal(step.facts?.['removedAppRoleIds'], DEFAULT_ACCESS_APP_ROLE);
    assert.equal(sandbox.provisioning.pushed.get(APP)?.get(ALICE), true, 'not yet told');

    const again = await run();
    assert.equal(again.verification.state, 'verified', again.outcome);
    assert.match(again.outcome, /no assignment of the user to remove; provisioned on demand/);
    assert.equal(
      step.facts?.['removedAppRoleIds'],
      DEFAULT_ACCESS_APP_ROLE,
      'kept for the restore',
    );
    assert.equal(sandbox.provisioning.pushed.get(APP)?.get(ALICE), false);

    // The restore the revocation plans from those facts re-adds that role, and only it.
    const revoked = aRequest({ steps: [{ ...step, status: 'succeeded' }] });
    const restore = appsPath.restore?.(revoked, { planned: new Set() });
    assert.deepEqual(
      restore?.steps.map((s) => [s.kind, s.facts]),
      [[APP_KINDS.reassign, { removedAppRoleIds: DEFAULT_ACCESS_APP_ROLE }]],
    );
  });

  it('names the group that keeps the user in scope, and does not claim a deprovisioning', async () => {
    sandbox.provisioning.assignGroup(APP, APPROVERS);
    const { step, run } = runner(sandbox, PRIYA);
    const result = await run();
    assert.equal(result.verification.state, 'unverifiable');
    assert.match(result.outcome, /still assigned through Revoke Approvers/);
    assert.equal(step.facts?.['inScopeThroughGroups'], 'Revoke Approvers');
    assert.equal(sandbox.provisioning.pushed.get(APP)?.get(PRIYA), true);
    assert.equal(sandbox.behaviour.callsTo('provisionOnDemand').length, 0);
  });

  it('says the next cycle acts when the account is already disabled (on demand cannot)', async () => {
    await sandbox.directory.disableUser(ALICE);
    const { run } = runner(sandbox, ALICE);
    const result = await run();
    assert.equal(result.verification.state, 'unverifiable');
    assert.match(
      result.verification.state === 'unverifiable' ? result.verification.why : '',
      /does not process a user disabled in Entra ID; Entra ID's next provisioning cycle/,
    );
    assert.equal(sandbox.provisioning.pushed.get(APP)?.get(ALICE), true);
  });

  it('the sandbox does not process a disabled user on demand either', async () => {
    await sandbox.provisioning.listAppAssignments(APP, ALICE);
    await sandbox.directory.disableUser(ALICE);
    const result = await sandbox.provisioning.provisionOnDemand(APP, ALICE);
    assert.equal(result.status, 'skipped');
    assert.equal(result.deprovisioned, false);
  });

  it('the restore step assigns the removed roles again and reads them back', async () => {
    const first = runner(sandbox, ALICE);
    await first.run();
    assert.deepEqual(await sandbox.provisioning.listAppAssignments(APP, ALICE), []);
    const { step, run } = runner(sandbox, ALICE, APP_KINDS.reassign);
    step.facts = { removedAppRoleIds: DEFAULT_ACCESS_APP_ROLE };
    const result = await run();
    assert.equal(result.verification.state, 'verified');
    const again = await run();
    assert.equal(again.verification.state, 'verified', 'repeatable');
    assert.deepEqual(
      (await sandbox.provisioning.listAppAssignments(APP, ALICE)).map((a) => a.appRoleId),
      [DEFAULT_ACCESS_APP_ROLE],
    );
  });
});
