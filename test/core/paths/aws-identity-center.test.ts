// The AWS IAM Identity Center path: its plan, restore and residual lines as pure functions, the
// deny statement's edits, and its actions run by the real engine against the sandbox's in-memory
// Identity Center (gathered, run, read back, restored, run again harmlessly).
import { strict as assert } from 'node:assert';
import type { RevocationRequest } from '../../../src/core/model';
import {
  denySid,
  hasStatement,
  withDenyStatement,
  withoutStatement,
} from '../../../src/core/paths/aws-deny-statement';
import {
  AWS_KINDS,
  AWS_STEP_IDS,
  denyStepId,
  planAws,
  restoreAws,
  type AwsInventory,
} from '../../../src/core/paths/aws-identity-center';
import { Connectors } from '../../../src/core/paths/connectors';
import { ENTRA_ACCOUNT_STEP_IDS } from '../../../src/core/paths/entra-account';
import { ACCESS_PATHS } from '../../../src/core/paths/registry';
import { SharedLookups } from '../../../src/core/paths/shared-lookups';
import { prepareTarget, type Preparation } from '../../../src/core/request-preparation';
import { RequestUpdater } from '../../../src/core/request-updater';
import { RevocationEngine } from '../../../src/core/revocation/engine';
import { residualAccess } from '../../../src/core/revocation/residual-access';
import { buildRestorePlan } from '../../../src/core/revocation/restore-plan';
import { AWS_IDENTITY_CENTER } from '../../../src/core/saas/aws-identity-center-port';
import { loadSandboxTenant, type SandboxTenant } from '../../../src/directory/sandbox';
import { SandboxAwsIdentityCenter } from '../../../src/directory/sandbox/sandbox-aws-identity-center';
import { aRequest } from '../../support/builders';
import { captureLogger } from '../../support/capture-logger';
import { FakeClock } from '../../support/fake-clock';
import { MemoryRequestStore } from '../../support/memory-store';
import { RecordingNotifier } from '../../support/recording-notifier';

const ADMIN = 'arn:aws:sso:::permissionSet/ssoins-1/ps-admin';
const READ = 'arn:aws:sso:::permissionSet/ssoins-1/ps-read';
const PLANNED = new Set([ENTRA_ACCOUNT_STEP_IDS.disable]);

const found: AwsInventory = {
  userName: 'evan.park@contoso.com',
  user: { id: 'aws-evan', userName: 'evan.park@contoso.com' },
  permissionSets: [
    { arn: ADMIN, name: 'AdministratorAccess', accounts: ['444455556666'] },
    { arn: READ, name: 'ReadOnlyAccess', accounts: ['111122223333', '444455556666'] },
  ],
  groups: ['AWS Readers'],
};

describe('the AWS IAM Identity Center path', () => {
  describe('plan (pure)', () => {
    it('denies each permission set, naming it and its accounts, then removes the groups, after the Entra disable', () => {
      const { steps, notes } = planAws(found, { planned: PLANNED });
      assert.deepEqual(
        steps.map((s) => [s.id, s.kind, s.dependsOn, s.subject]),
        [
          [
            denyStepId(ADMIN),
            AWS_KINDS.denySessions,
            ['entra-disable'],
            { id: ADMIN, name: 'AdministratorAccess' },
          ],
          [
            denyStepId(READ),
            AWS_KINDS.denySessions,
            ['entra-disable'],
            { id: READ, name: 'ReadOnlyAccess' },
          ],
          [
            AWS_STEP_IDS.groups,
            AWS_KINDS.removeGroups,
            ['entra-disable'],
            { id: 'aws-evan', name: 'evan.park@contoso.com' },
          ],
        ],
      );
      assert.match(steps[1]?.title ?? '', /ReadOnlyAccess \(accounts 111122223333, 444455556666\)/);
      assert.match(steps[2]?.title ?? '', /groups AWS Readers$/);
      assert.deepEqual(notes, []);
      // Without the Entra disable planned, nothing to wait for.
      assert.deepEqual(planAws(found, { planned: new Set() }).steps[0]?.dependsOn, []);
    });

    it('plans nothing but a note when the identity store has no such user, or no permission set', () => {
      const none = planAws(
        { userName: 'x@contoso.com', permissionSets: [], groups: [] },
        { planned: PLANNED },
      );
      assert.deepEqual(none.steps, []);
      assert.match(none.notes[0] ?? '', /no user named x@contoso\.com: nothing planned in AWS/);
      const bare = planAws({ ...found, permissionSets: [], groups: [] }, { planned: PLANNED });
      assert.deepEqual(bare.steps, []);
      assert.match(bare.notes[0] ?? '', /holds no permission set/);
    });
  });

  describe('the deny statement (pure)', () => {
    const sid = denySid('4f1c-9a');
    it('is added once, next to what was there, and removed alone', () => {
      const other =
        '{"Version":"2012-10-17","Statement":{"Sid":"Keep","Effect":"Allow","Action":"s3:Get*","Resource":"*"}}';
      const added = withDenyStatement(other, sid, 'aws-u1');
      assert.equal(sid, 'RevokeDeny4f1c9a');
      assert.ok(hasStatement(added, sid));
      assert.equal(withDenyStatement(added, sid, 'aws-u1'), added, 'idempotent');
      const parsed = JSON.parse(added) as { Statement: unknown[] };
      assert.deepEqual(parsed.Statement[1], {
        Sid: sid,
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: { StringEquals: { 'identitystore:UserId': 'aws-u1' } },
      });
      const removed = withoutStatement(added, sid);
      assert.equal(removed.empty, false);
      assert.deepEqual(JSON.parse(removed.policy), {
        Version: '2012-10-17',
        Statement: [JSON.parse(other).Statement],
      });
      assert.equal(withoutStatement(withDenyStatement('', sid, 'u'), sid).empty, true);
      assert.throws(() => withDenyStatement('{not json', sid, 'u'), /not valid JSON/);
    });
  });

  describe('restore (pure)', () => {
    it('removes only a statement the run added, and re-adds the groups it removed', () => {
      const original = aRequest({
        status: 'completed',
        steps: [
          {
            id: denyStepId(ADMIN),
            kind: AWS_KINDS.denySessions,
            title: '',
            dependsOn: [],
            status: 'succeeded',
            attempts: 1,
            subject: { id: ADMIN, name: 'AdministratorAccess' },
            facts: { hadStatement: false },
          },
          {
            id: denyStepId(READ),
            kind: AWS_KINDS.denySessions,
            title: '',
            dependsOn: [],
            status: 'succeeded',
            attempts: 1,
            subject: { id: READ, name: 'ReadOnlyAccess' },
            facts: { hadStatement: true },
          },
          {
            id: AWS_STEP_IDS.groups,
            kind: AWS_KINDS.removeGroups,
            title: '',
            dependsOn: [],
            status: 'succeeded',
            attempts: 1,
            facts: { groupsBefore: '[{"id":"g1","name":"AWS Readers"}]' },
          },
        ],
      });
      const part = restoreAws(original);
      assert.deepEqual(
        part.steps.map((s) => [s.kind, s.subject]),
        [
          [AWS_KINDS.removeDeny, { id: ADMIN, name: 'AdministratorAccess' }],
          [AWS_KINDS.addGroup, { id: 'g1', name: 'AWS Readers' }],
        ],
      );
      assert.match(part.notRestored[0] ?? '', /sessions ended by the deny are not restored/);
    });
  });

  describe('through the engine, against the sandbox Identity Center', () => {
    let sandbox: SandboxTenant;
    let clock: FakeClock;
    let aws: SandboxAwsIdentityCenter;
    let connectors: Connectors;

    beforeEach(async () => {
      clock = new FakeClock();
      sandbox = await loadSandboxTenant(undefined, { clock });
      aws = SandboxAwsIdentityCenter.seeded(sandbox.people);
      connectors = new Connectors().set(AWS_IDENTITY_CENTER, aws);
    });

    function preparation(withAws: Connectors | undefined): Preparation {
      return {
        ports: { directory: sandbox.directory, connectors: withAws },
        retrying: (operation) => operation(),
        clock,
        logger: captureLogger([]),
        settings: { protectedUsers: [], requiredApprovals: 2, onPremConfigured: false },
        shared: new SharedLookups(),
        paths: ACCESS_PATHS,
      };
    }

    const evan = {
      address: 'evan.park@contoso.com',
      profile: 'termination' as const,
      options: { retireDevices: false },
    };

    it('plans nothing without the connector', async () => {
      const { plan } = await prepareTarget(preparation(undefined), evan);
      assert.equal(plan.steps.filter((s) => s.kind.startsWith('aws.')).length, 0);
    });

    it('denies, removes groups, reads back; the restore undoes exactly that; running again is harmless', async () => {
      const { plan, target } = await prepareTarget(preparation(connectors), evan);
      const awsSteps = plan.steps.filter((s) => s.kind.startsWith('aws.'));
      assert.deepEqual(awsSteps.map((s) => s.subject?.name).sort(), [
        'AdministratorAccess',
        'ReadOnlyAccess',
        'evan.park@contoso.com',
      ]);
      const admin = [...aws.permissionSets.entries()].find(
        ([, s]) => s.name === 'AdministratorAccess',
      );
      assert.ok(admin);
      admin[1].policy =
        '{"Version":"2012-10-17","Statement":[{"Sid":"Keep","Effect":"Allow","Action":"s3:*","Resource":"*"}]}';

      const finished = await run(plan.steps, target);
      for (const step of finished.steps.filter((s) => s.kind.startsWith('aws.'))) {
        assert.equal(step.status, 'succeeded', `${step.id}: ${step.error?.message ?? ''}`);
        assert.deepEqual(step.verification, { state: 'verified' });
      }
      const sid = denySid(target.id);
      assert.ok(hasStatement(admin[1].provisioned, sid), 'in force in the accounts');
      const evanId = (await aws.findUser('evan.park@contoso.com'))?.id ?? '';
      assert.deepEqual(await aws.listGroupMemberships(evanId), []);
      const denyAdmin = finished.steps.find((s) => s.id === denyStepId(admin[0]));
      assert.equal(denyAdmin?.facts?.['hadStatement'], false);
      assert.match(String(denyAdmin?.facts?.['policyBefore']), /"Sid":"Keep"/);

      const lines = residualAccess(finished, ACCESS_PATHS);
      const line = lines.find((l) => l.what.startsWith('AWS access outside'));
      assert.ok(line, lines.map((l) => l.what).join(' | '));
      assert.match(line.revokeDid, /AdministratorAccess/);
      assert.match(line.until, /up to 12 h/);

      // Again, as after a crash: nothing doubles, still verified.
      const again = await run(plan.steps, target);
      assert.ok(
        again.steps.filter((s) => s.kind.startsWith('aws.')).every((s) => s.status === 'succeeded'),
      );
      assert.equal((JSON.parse(admin[1].policy) as { Statement: unknown[] }).Statement.length, 2);

      const restore = buildRestorePlan(finished, ACCESS_PATHS);
      const awsRestore = restore.steps.filter((s) => s.kind.startsWith('restore.aws'));
      assert.deepEqual(awsRestore.map((s) => s.kind).sort(), [
        AWS_KINDS.addGroup,
        AWS_KINDS.removeDeny,
        AWS_KINDS.removeDeny,
      ]);
      const restored = await run(awsRestore, target);
      assert.ok(
        restored.steps.every((s) => s.status === 'succeeded'),
        JSON.stringify(restored.steps),
      );
      assert.deepEqual(JSON.parse(admin[1].provisioned), {
        Version: '2012-10-17',
        Statement: [{ Sid: 'Keep', Effect: 'Allow', Action: 's3:*', Resource: '*' }],
      });
      const read = [...aws.permissionSets.values()].find((s) => s.name === 'ReadOnlyAccess');
      assert.equal(read?.policy, '', 'a policy Revoke created is deleted again');
      assert.deepEqual(
        (await aws.listGroupMemberships(evanId)).map((m) => m.groupName),
        ['AWS Readers'],
      );
    });

    it('reports no account, not done, when the user left the identity store before the run', async () => {
      const { plan, target } = await prepareTarget(preparation(connectors), evan);
      aws.users.clear();
      const finished = await run(plan.steps, target);
      const deny = finished.steps.find((s) => s.kind === AWS_KINDS.denySessions);
      assert.equal(deny?.verification?.state, 'no_account');
    });

    async function run(
      steps: RevocationRequest['steps'],
      target: RevocationRequest['target'],
    ): Promise<RevocationRequest> {
      const store = new MemoryRequestStore();
      const request = aRequest({
        id: 'R-AWS00001',
        status: 'running',
        target,
        steps: steps.map((s) => ({ ...s, status: 'pending', attempts: 0 })),
        approvals: [],
      });
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
        paths: ACCESS_PATHS,
      });
      await engine.run(request.id);
      const saved = await store.get(request.id);
      assert.ok(saved);
      return saved;
    }
  });
});
