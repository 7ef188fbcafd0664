// The adapter with the real AWS SDK clients against the HTTPS stand-in: exact look-up, the deny
// statement put, provisioned and read back, group memberships removed and restored, idempotence,
// and how AWS's errors become the DirectoryError kinds Revoke's retry layer acts on.
import { strict as assert } from 'node:assert';
import { DirectoryError } from '../../../src/core/errors';
import {
  denySid,
  hasStatement,
  withDenyStatement,
} from '../../../src/core/paths/aws-deny-statement';
import {
  AwsIdentityCenterDirectory,
  type AwsKeys,
} from '../../../src/directory/aws-identity-center';
import { AwsIdentityCenterStandin } from '../../support/aws-identity-center-standin';

const ALICE = 'alice.johnson@contoso.test';

describe('AWS IAM Identity Center adapter (real SDK clients, HTTPS stand-in)', function () {
  this.timeout(20_000);
  let standin: AwsIdentityCenterStandin;
  let aws: AwsIdentityCenterDirectory;

  function adapter(
    keys: AwsKeys = { accessKeyId: standin.accessKeyId, secretAccessKey: standin.secretAccessKey },
  ) {
    return new AwsIdentityCenterDirectory(
      {
        identityStoreId: standin.state.identityStoreId,
        instanceArn: standin.state.instanceArn,
        region: standin.region,
        ssoEndpoint: standin.origin,
        identityStoreEndpoint: standin.origin,
        keys,
      },
      { sleep: () => Promise.resolve(), provisioningPolls: 3 },
    );
  }

  beforeEach(async () => {
    standin = await new AwsIdentityCenterStandin().start();
    aws = adapter();
  });

  afterEach(() => standin.stop());

  async function rejection(promise: Promise<unknown>): Promise<DirectoryError> {
    try {
      await promise;
    } catch (error) {
      assert.ok(error instanceof DirectoryError, String(error));
      return error;
    }
    assert.fail('expected a rejection');
  }

  it('finds the user by exact userName, and none for another name', async () => {
    const alice = standin.state.addUser(ALICE, 'Alice Johnson');
    standin.state.addUser(`x${ALICE}`);
    assert.deepEqual(await aws.findUser(ALICE), {
      id: alice.UserId,
      userName: ALICE,
      displayName: 'Alice Johnson',
    });
    assert.equal(await aws.findUser('alice.johnson@contoso'), undefined);
    assert.equal(await aws.findUser(ALICE.toUpperCase()), undefined);
    // Signed requests, from our key, reached the operations; none was refused.
    assert.deepEqual(standin.refused, []);
    assert.ok(standin.calls.every((c) => c.accessKeyId === standin.accessKeyId));
    assert.deepEqual(
      standin.calls.slice(0, 2).map((c) => [c.api, c.operation]),
      [
        ['identitystore', 'GetUserId'],
        ['identitystore', 'DescribeUser'],
      ],
    );
  });

  it('lists every assignment and group membership across pages, with names', async () => {
    const alice = standin.state.addUser(ALICE);
    const admins = standin.state.addGroup('Admins', [alice]);
    standin.state.addGroup('Billing', [alice]);
    standin.state.addGroup('Readers', [alice]);
    const admin = standin.state.addPermissionSet('AdministratorAccess');
    const read = standin.state.addPermissionSet('ReadOnly');
    standin.state.assign('111111111111', admin, alice);
    standin.state.assign('222222222222', admin, alice);
    standin.state.assign('333333333333', read, admins);
    const assignments = await aws.listAssignments(alice.UserId);
    assert.deepEqual(
      assignments.map((a) => a.accountId),
      ['111111111111', '222222222222', '333333333333'],
    );
    assert.ok(standin.count('ListAccountAssignmentsForPrincipal') >= 2, 'paged');
    assert.equal(await aws.permissionSetName(read.arn), 'ReadOnly');
    const groups = await aws.listGroupMemberships(alice.UserId);
    assert.deepEqual(groups.map((g) => g.groupName).sort(), ['Admins', 'Billing', 'Readers']);
    assert.equal(standin.count('ListGroupMembershipsForMember'), 2, 'two pages');
  });

  it('puts an inline policy, provisions it (async) and reads it back; deletes it again', async () => {
    const alice = standin.state.addUser(ALICE);
    const set = standin.state.addPermissionSet('Admin', '{"Version":"2012-10-17","Statement":[]}');
    const before = await aws.getInlinePolicy(set.arn);
    const policy = withDenyStatement(before, denySid('entra-id'), alice.UserId);
    await aws.putInlinePolicy(set.arn, policy);
    assert.deepEqual(await aws.provision(set.arn), { state: 'succeeded' });
    assert.equal(
      standin.count('DescribePermissionSetProvisioningStatus'),
      2,
      'in progress, then done',
    );
    assert.ok(hasStatement(await aws.getInlinePolicy(set.arn), denySid('entra-id')));
    assert.equal(set.provisionedPolicy, policy, 'in force in the accounts');
    await aws.deleteInlinePolicy(set.arn);
    assert.equal(await aws.getInlinePolicy(set.arn), '');
  });

  it('reports a provisioning still running, and one that failed', async () => {
    const set = standin.state.addPermissionSet('Admin');
    standin.state.provisioningReads = 10;
    const running = await aws.provision(set.arn);
    assert.equal(running.state, 'in_progress');
    // A second provisioning while one runs: AWS answers ConflictException, worth retrying.
    const conflict = await rejection(aws.provision(set.arn));
    assert.equal(conflict.kind, 'transient');
    assert.equal(conflict.code, 'ConflictException');
    standin.state.provisioning.clear();
    standin.state.provisioningReads = 0;
    standin.state.provisioningFailure = 'Account 111111111111 is suspended';
    assert.deepEqual(await aws.provision(set.arn), {
      state: 'failed',
      reason: 'Account 111111111111 is suspended',
    });
  });

  it('removes and re-adds group memberships, harmlessly twice', async () => {
    const alice = standin.state.addUser(ALICE);
    const group = standin.state.addGroup('Admins', [alice]);
    const [membership] = await aws.listGroupMemberships(alice.UserId);
    assert.ok(membership);
    await aws.removeGroupMembership(membership.membershipId);
    await aws.removeGroupMembership(membership.membershipId);
    assert.deepEqual(await aws.listGroupMemberships(alice.UserId), []);
    await aws.addGroupMembership(group, alice.UserId);
    await aws.addGroupMembership(group, alice.UserId);
    assert.deepEqual(standin.state.groupsOf(alice.UserId), [group]);
  });

  it('turns ThrottlingException into throttled with the Retry-After, after one attempt', async () => {
    standin.state.addUser(ALICE);
    standin.faults.push({
      operation: 'GetUserId',
      error: 'ThrottlingException',
      retryAfterSeconds: 7,
      times: 5,
    });
    const error = await rejection(aws.findUser(ALICE));
    assert.equal(error.kind, 'throttled');
    assert.equal(error.retryAfterMs, 7000);
    assert.equal(standin.count('GetUserId'), 1, 'the SDK did not retry on its own');

    const set = standin.state.addPermissionSet('Admin');
    standin.faults.push({
      operation: 'ProvisionPermissionSet',
      error: 'ThrottlingException',
      retryAfterSeconds: 2,
      times: 1,
    });
    const sso = await rejection(aws.provision(set.arn));
    assert.equal(sso.kind, 'throttled');
    assert.equal(sso.retryAfterMs, 2000);
    assert.equal(standin.count('ProvisionPermissionSet'), 1);
  });

  it('turns AccessDeniedException into permission advice naming the IAM action', async () => {
    const set = standin.state.addPermissionSet('Admin');
    standin.deniedActions.add('sso:PutInlinePolicyToPermissionSet');
    const error = await rejection(aws.putInlinePolicy(set.arn, '{}'));
    assert.equal(error.kind, 'permission');
    assert.match(error.advice ?? '', /Allow sso:PutInlinePolicyToPermissionSet /);
    standin.deniedActions.add('identitystore:GetUserId');
    const lookup = await rejection(aws.findUser(ALICE));
    assert.match(lookup.advice ?? '', /identitystore:GetUserId/);
  });

  it('a 5xx is transient; an unknown key or a wrong secret is a permission error without the keys', async () => {
    standin.faults.push({
      operation: 'DescribeInstance',
      error: 'InternalServerException',
      times: 1,
    });
    assert.equal((await rejection(aws.describeInstance())).kind, 'transient');

    const wrongSecret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const sessionToken = 'IQoJb3JpZ2luX2VjEXAMPLE-session-token-value';
    const stranger = adapter({
      accessKeyId: standin.accessKeyId,
      secretAccessKey: wrongSecret,
      sessionToken,
    });
    const bad = await rejection(stranger.describeInstance());
    assert.equal(bad.kind, 'permission');
    assert.equal(bad.code, 'InvalidSignatureException');
    assert.deepEqual(standin.refused, ['bad signature']);

    const unknown = adapter({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: wrongSecret });
    const refused = await rejection(unknown.findUser(ALICE));
    assert.equal(refused.code, 'UnrecognizedClientException');
    for (const error of [bad, refused]) {
      const cause =
        error.cause instanceof Error ? `${error.cause.message} ${error.cause.stack ?? ''}` : '';
      const text = `${error.message} ${error.advice ?? ''} ${cause}`;
      for (const secret of [
        wrongSecret,
        sessionToken,
        standin.secretAccessKey,
        standin.accessKeyId,
        'AKIAIOSFODNN7EXAMPLE',
      ])
        assert.ok(!text.includes(secret), `no key in: ${text}`);
    }
  });

  it('the doctor reads the instance and counts permission sets across pages', async () => {
    for (const name of ['A', 'B', 'C']) standin.state.addPermissionSet(name);
    assert.deepEqual(await aws.describeInstance(), {
      name: 'Contoso',
      status: 'ACTIVE',
      identityStoreId: standin.state.identityStoreId,
    });
    assert.equal(await aws.countPermissionSets(), 3);
  });
});
