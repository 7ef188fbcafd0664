// The provisioning order, end to end: the real app in graph mode against the HTTPS Entra stand-in,
// driven over /api/messages (command, card, two approvals), runs the real plan. The stand-in's
// on-demand provisioning behaves as Microsoft documents it: a user disabled in Entra ID is not
// processed, a user unassigned from the app is deprovisioned. So the app ends deprovisioned only
// when the step unassigns and provisions BEFORE the Entra disable; with the old order (after it)
// the app account stays active.
import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import type { RevokeApp } from '../../../src/app';
import type { Person, RevocationRequest } from '../../../src/core/model';
import { provisioningStepId, reassignStepId } from '../../../src/core/paths/apps';
import { ENTRA_ACCOUNT_STEP_IDS } from '../../../src/core/paths/entra-account';
import { residualAccess } from '../../../src/core/revocation/residual-access';
import { cardAction, channelMessage, TENANT_ID } from '../../support/activities';
import { cardOf, ConnectorStandin } from '../../support/connector-standin';
import { EntraStandin } from '../../support/entra-standin';
import type { StandinProvisioningJob } from '../../support/entra-standin/containment-state';
import type { StandinUser } from '../../support/entra-standin/state';
import { startGraphModeApp } from '../../support/graph-mode-app';
import { requestAndApprove, waitUntil } from '../../integration/revocation-driver';

const ROLES = [
  'User.Read.All',
  'User.EnableDisableAccount.All',
  'User.RevokeSessions.All',
  'Device.ReadWrite.All',
  'GroupMember.Read.All',
  'RoleManagement.Read.Directory',
  'Application.Read.All',
  'Synchronization.ReadWrite.All',
  'AppRoleAssignment.ReadWrite.All',
];
const ROLE_ID = '5c1e7b0a-3f2d-4e8a-9b61-0d4c2a7e9f13';

describe('provisioned apps are unassigned and provisioned before the Entra disable (graph mode)', function () {
  this.timeout(30_000);
  let standin: EntraStandin;
  let connector: ConnectorStandin;
  let serviceUrl: string;
  let app: RevokeApp;
  let baseUrl: string;
  let sam: Person;
  let priya: Person;
  let marcus: Person;
  let alice: StandinUser;
  let spId: string;
  let job: StandinProvisioningJob;

  beforeEach(async () => {
    standin = await new EntraStandin({ tenantId: TENANT_ID }).start();
    connector = new ConnectorStandin();
    serviceUrl = await connector.start();
    const { state } = standin;
    const person = (upn: string, name: string): Person => {
      const user = state.addUser({ userPrincipalName: upn, displayName: name });
      return { id: user.id, name, upn, channelAccountId: `29:1${upn.split('.')[0] ?? ''}-teams` };
    };
    sam = person('sam.rivera@contoso.test', 'Sam Rivera');
    priya = person('priya.patel@contoso.test', 'Priya Patel');
    marcus = person('marcus.chen@contoso.test', 'Marcus Chen');
    alice = state.addUser({
      userPrincipalName: 'alice.johnson@contoso.test',
      displayName: 'Alice Johnson',
    });
    const approvers = state.addGroup({
      displayName: 'Revoke approvers',
      memberIds: [priya.id, marcus.id],
    });
    spId = randomUUID();
    job = state.containment.addProvisioningJob(spId, 'Salesforce');
    // Alice was provisioned to Salesforce before, and is active there.
    job.pushed.set(alice.id, true);
    connector.joinTeam('19:soc-incidents@thread.tacv2', [sam, priya, marcus]);
    ({ app, baseUrl } = await startGraphModeApp(standin, {
      approverGroupId: approvers.id,
      roles: ROLES,
      env: { PROVISIONING_APPS: spId },
    }));
  });

  afterEach(async () => {
    await app.stop();
    await connector.stop();
    await standin.stop();
  });

  async function finished(id: string): Promise<RevocationRequest> {
    let request: RevocationRequest | undefined;
    await waitUntil(async () => {
      request = await app.store.get(id);
      return request !== undefined && request.status.startsWith('completed');
    }, `request ${id} finishes`);
    assert.ok(request);
    return request;
  }

  async function revokeAlice(): Promise<RevocationRequest> {
    const { requestId } = await requestAndApprove({
      baseUrl,
      connector,
      serviceUrl,
      requester: sam,
      approvers: [priya, marcus],
      upn: alice.userPrincipalName,
    });
    return finished(requestId);
  }

  /** `restore <id> <reason>` in the channel, as Teams sends it, and both approvals on its card. */
  async function restoreOver(originalId: string): Promise<RevocationRequest> {
    const cardsBefore = connector.posted().filter((a) => cardOf(a)).length;
    const message = channelMessage(sam, `restore ${originalId} False alarm`, { serviceUrl });
    await post(message);
    const posted = await connector.waitFor(
      () => connector.posted().filter((a) => cardOf(a))[cardsBefore],
      15_000,
    );
    const actions = (cardOf(posted)?.actions ?? []) as { verb?: string; data?: unknown }[];
    const data = actions.find((a) => a.verb === 'approve')?.data as { requestId?: string };
    assert.ok(data?.requestId, 'the restore card carries its id');
    const ctx = { serviceUrl, threadId: String(message.id), cardActivityId: String(posted.id) };
    for (const approver of [priya, marcus])
      await post(cardAction(approver, 'approve', { requestId: data.requestId }, ctx));
    return finished(data.requestId);
  }

  async function post(activity: unknown): Promise<void> {
    const response = await fetch(`${baseUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    assert.equal(response.status, 200);
    await response.text();
  }

  function step(request: RevocationRequest, id: string) {
    const found = request.steps.find((s) => s.id === id);
    assert.ok(found, `step ${id}`);
    return found;
  }

  it('deprovisions a directly assigned user from the app, then disables the account', async () => {
    const assignment = standin.state.containment.assignToApp(
      spId,
      { id: alice.id, type: 'User' },
      ROLE_ID,
    );
    const done = await revokeAlice();

    // The app was told now: Entra reported the soft delete, and the app account is inactive.
    assert.equal(job.pushed.get(alice.id), false, 'the app account is deprovisioned');
    assert.equal(alice.accountEnabled, false, 'and the Entra ID account disabled');
    assert.equal(standin.state.containment.appRoleAssignments.has(assignment.id), false);

    const provision = step(done, provisioningStepId(spId));
    assert.equal(provision.status, 'succeeded', JSON.stringify(provision.error));
    assert.equal(provision.verification?.state, 'verified');
    assert.match(provision.outcome ?? '', /EntryExportUpdateSoftDelete: success/);
    assert.equal(provision.facts?.['removedAppRoleIds'], ROLE_ID);

    // The plan made the disable wait for it, and said why.
    const disable = step(done, ENTRA_ACCOUNT_STEP_IDS.disable);
    assert.ok(disable.dependsOn.includes(provisioningStepId(spId)));
    assert.deepEqual(provision.dependsOn, []);
    assert.ok(
      (done.planNotes ?? []).some((n) =>
        /disable waits for provisioning on demand to Salesforce/.test(n),
      ),
      (done.planNotes ?? []).join('\n'),
    );

    // Graph saw it in that order: unassign, provision on demand, then disable.
    const routes = standin.log.calls.map((c) => `${c.route} ${c.path}`);
    const first = (pattern: RegExp) => routes.findIndex((r) => pattern.test(r));
    const unassigned = first(/^DELETE \/users\/\{id\}\/appRoleAssignments\/\{id\}/);
    const provisioned = first(/provisionOnDemand/);
    const disabled = first(new RegExp(`^PATCH /users/\\{id\\} .*${alice.id}`));
    assert.ok(unassigned >= 0 && provisioned > unassigned, routes.join('\n'));
    assert.ok(disabled > provisioned, 'the disable came after provisioning on demand');

    const cookies = residualAccess(done).find((l) => l.what.startsWith('Apps that keep'));
    assert.match(cookies?.revokeDid ?? '', /deprovisioned from Salesforce/);
    assert.match(
      cookies?.until ?? '',
      /next provisioning cycle keeps the account in Salesforce deprovisioned/,
    );
  });

  it('says honestly that a group assignment keeps the user in scope until the next cycle', async () => {
    const { containment } = standin.state;
    const own = containment.assignToApp(spId, { id: alice.id, type: 'User' });
    const sales = standin.state.addGroup({ displayName: 'Sales EMEA', memberIds: [alice.id] });
    const viaGroup = containment.assignToApp(spId, { id: sales.id, type: 'Group' });
    const done = await revokeAlice();

    const provision = step(done, provisioningStepId(spId));
    assert.equal(provision.status, 'succeeded', JSON.stringify(provision.error));
    assert.equal(provision.verification?.state, 'unverifiable');
    const why = provision.verification?.state === 'unverifiable' ? provision.verification.why : '';
    assert.match(why, /through the group Sales EMEA/);
    assert.match(why, /next provisioning cycle/);
    assert.equal(containment.appRoleAssignments.has(own.id), false, 'the own one is removed');
    assert.equal(containment.appRoleAssignments.has(viaGroup.id), true, 'the group one is not');
    assert.equal(job.pushed.get(alice.id), true, 'not deprovisioned now, and not claimed');
    assert.equal(
      standin.log.count('POST /servicePrincipals/{id}/synchronization/jobs/{id}/provisionOnDemand'),
      0,
    );

    const cookies = residualAccess(done).find((l) => l.what.startsWith('Apps that keep'));
    assert.match(cookies?.revokeDid ?? '', /asked, but not confirmed, in Salesforce/);
    assert.match(cookies?.until ?? '', /in Salesforce: until Entra ID's next provisioning cycle/);
  });

  it('restores exactly the assignments it removed, and says the app account returns later', async () => {
    const { containment } = standin.state;
    containment.assignToApp(spId, { id: alice.id, type: 'User' }, ROLE_ID);
    const revoked = await revokeAlice();
    assert.equal(containment.assignmentsOf(alice.id, spId).length, 0);

    const restored = await restoreOver(revoked.id);
    const reassign = step(restored, reassignStepId(spId));
    assert.equal(
      reassign.title,
      'Assign the user to Salesforce again (1 app role the revocation removed)',
    );

    const ran = step(restored, reassignStepId(spId));
    assert.equal(ran.status, 'succeeded', JSON.stringify(ran.error));
    assert.equal(ran.verification?.state, 'verified');
    assert.match(ran.outcome ?? '', /re-activated by the job's next cycle/);
    assert.deepEqual(
      containment.assignmentsOf(alice.id, spId).map((a) => [a.principalType, a.appRoleId]),
      [['User', ROLE_ID]],
    );
    assert.equal(alice.accountEnabled, true);
  });
});
