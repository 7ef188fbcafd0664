// AWS IAM Identity Center end to end, as Teams drives it: the real app in graph mode (Entra ID and
// Graph stand-in) with the AWS connector configured by environment variables alone, pointed at the
// HTTPS AWS stand-in. Command → card naming the AWS account and permission sets → two approvals →
// the deny in force in the accounts and the groups gone, read back → final card.
import { strict as assert } from 'node:assert';
import type { RevokeApp } from '../../src/app';
import type { Person } from '../../src/core/model';
import { denySid, hasStatement } from '../../src/core/paths/aws-deny-statement';
import { TENANT_ID } from '../support/activities';
import { AwsIdentityCenterStandin } from '../support/aws-identity-center-standin';
import { cardOf, ConnectorStandin } from '../support/connector-standin';
import { EntraStandin } from '../support/entra-standin';
import { startGraphModeApp } from '../support/graph-mode-app';
import { cardText, lastCardText, requestAndApprove, waitUntil } from './revocation-driver';

const ROLES = [
  'User.Read.All',
  'GroupMember.Read.All',
  'User.EnableDisableAccount.All',
  'User.RevokeSessions.All',
  'Device.ReadWrite.All',
  'RoleManagement.Read.Directory',
];

describe('AWS IAM Identity Center through /api/messages (graph mode)', function () {
  this.timeout(60_000);
  let entra: EntraStandin;
  let aws: AwsIdentityCenterStandin;
  let connector: ConnectorStandin;
  let serviceUrl: string;
  let app: RevokeApp;
  let baseUrl: string;
  let people: { sam: Person; priya: Person; marcus: Person };

  beforeEach(async () => {
    entra = await new EntraStandin({ tenantId: TENANT_ID }).start();
    aws = await new AwsIdentityCenterStandin().start();
    connector = new ConnectorStandin();
    serviceUrl = await connector.start();
    const person = (upn: string, name: string): Person => {
      const user = entra.state.addUser({ userPrincipalName: upn, displayName: name });
      return { id: user.id, name, upn, channelAccountId: `29:1${upn.split('.')[0] ?? ''}` };
    };
    people = {
      sam: person('sam.rivera@contoso.test', 'Sam Rivera'),
      priya: person('priya.patel@contoso.test', 'Priya Patel'),
      marcus: person('marcus.chen@contoso.test', 'Marcus Chen'),
    };
    const approvers = entra.state.addGroup({
      displayName: 'Revoke approvers',
      memberIds: [people.priya.id, people.marcus.id],
    });
    ({ app, baseUrl } = await startGraphModeApp(entra, {
      approverGroupId: approvers.id,
      roles: ROLES,
      env: {
        AWS_SSO_INSTANCE_ARN: aws.state.instanceArn,
        AWS_IDENTITY_STORE_ID: aws.state.identityStoreId,
        AWS_REGION: aws.region,
        AWS_SSO_ENDPOINT: aws.origin,
        AWS_IDENTITYSTORE_ENDPOINT: aws.origin,
        AWS_ACCESS_KEY_ID: aws.accessKeyId,
        AWS_SECRET_ACCESS_KEY: aws.secretAccessKey,
      },
    }));
  });

  afterEach(async () => {
    await app.stop();
    await connector.stop();
    await aws.stop();
    await entra.stop();
  });

  it('names the account and permission sets on the card, then denies them and removes the groups, read back', async () => {
    const target = entra.state.addUser({
      userPrincipalName: 'alice.johnson@contoso.test',
      displayName: 'Alice Johnson',
    });
    const alice = aws.state.addUser('alice.johnson@contoso.test', 'Alice Johnson');
    const admins = aws.state.addGroup('Cloud Admins', [alice]);
    const admin = aws.state.addPermissionSet(
      'AdministratorAccess',
      '{"Version":"2012-10-17","Statement":[{"Sid":"Keep","Effect":"Deny","Action":"account:CloseAccount","Resource":"*"}]}',
    );
    const billing = aws.state.addPermissionSet('Billing');
    aws.state.assign('444455556666', admin, admins);
    aws.state.assign('111122223333', billing, alice);
    // Throttled once on the way: Revoke's retry layer waits the Retry-After and goes on.
    aws.faults.push({
      operation: 'PutInlinePolicyToPermissionSet',
      error: 'ThrottlingException',
      retryAfterSeconds: 1,
      times: 1,
    });

    const { requestId, cardId } = await requestAndApprove({
      baseUrl,
      connector,
      serviceUrl,
      requester: people.sam,
      approvers: [people.priya, people.marcus],
      upn: 'alice.johnson@contoso.test',
    });
    const first = cardText(cardOf(connector.posted().find((a) => a.id === cardId) ?? {}));
    assert.match(first, /AdministratorAccess \(accounts 444455556666\)/, first);
    assert.match(first, /Billing \(accounts 111122223333\)/);
    assert.match(first, /IAM Identity Center groups Cloud Admins/);

    await waitUntil(
      async () => (await app.store.get(requestId))?.status !== 'running',
      'the run ends',
      30_000,
    );
    const done = await app.store.get(requestId);
    assert.equal(done?.status, 'completed', JSON.stringify(done?.steps, null, 1));
    const awsSteps = done.steps.filter((s) => s.kind.startsWith('aws.'));
    assert.equal(awsSteps.length, 3);
    assert.ok(awsSteps.every((s) => s.verification?.state === 'verified'));
    const disable = done.steps.find((s) => s.id === 'entra-disable');
    for (const step of awsSteps)
      assert.ok(
        (step.startedAt ?? '') >= (disable?.finishedAt ?? 'z'),
        `${step.id} after the Entra disable`,
      );

    // In force where it matters: the policy provisioned to the accounts, and no group left.
    const sid = denySid(target.id);
    for (const set of [admin, billing]) {
      assert.ok(hasStatement(set.provisionedPolicy, sid), set.name);
      assert.match(set.provisionedPolicy, new RegExp(`"identitystore:UserId":"${alice.UserId}"`));
    }
    assert.match(admin.provisionedPolicy, /"Sid":"Keep"/, 'other statements kept');
    assert.deepEqual(aws.state.groupsOf(alice.UserId), []);
    assert.equal(aws.count('PutInlinePolicyToPermissionSet'), 3, 'one throttled, then one per set');
    assert.ok(aws.calls.every((c) => c.accessKeyId === aws.accessKeyId));
    assert.deepEqual(aws.refused, []);

    const final = await connector
      .waitFor(() => {
        const text = lastCardText(connector, cardId);
        return text.includes('Completed') ? text : undefined;
      })
      .catch(() => lastCardText(connector, cardId));
    assert.match(final, /Completed/);
    assert.match(final, /Plan: 5 of 5 steps done/);
    assert.match(
      final,
      /✓ verified [\d.]+ s \| {2}Deny every AWS action to alice\.johnson@contoso\.test's role sessions under permission set AdministratorAccess \(accounts 444455556666\) \| {2}— after 2 attempts/,
    );
    assert.match(final, /AWS access outside the permission sets found/);
    assert.ok(!final.includes(aws.secretAccessKey));
  });

  it('plans nothing in AWS for a user the identity store does not have, and says so on the card', async () => {
    entra.state.addUser({ userPrincipalName: 'bob.smith@contoso.test', displayName: 'Bob Smith' });
    const { cardId } = await requestAndApprove({
      baseUrl,
      connector,
      serviceUrl,
      requester: people.sam,
      approvers: [people.priya, people.marcus],
      upn: 'bob.smith@contoso.test',
    });
    const first = cardText(cardOf(connector.posted().find((a) => a.id === cardId) ?? {}));
    assert.match(first, /AWS IAM Identity Center has no user named bob\.smith@contoso\.test/);
    assert.equal(aws.count('PutInlinePolicyToPermissionSet'), 0);
  });
});
