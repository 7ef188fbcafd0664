// The sandbox shows the step-up flow without a real sign-in (APPROVAL_STEP_UP=simulated): the first
// click on Approve asks for a sign-in, the next one completes a simulated one, and the card marks
// the approval as simulated MFA, so nobody mistakes it for a proof.
import { strict as assert } from 'node:assert';
import { cardAction, channelMessage } from '../../support/activities';
import { cardOf } from '../../support/connector-standin';
import { cardText } from '../../support/card-text';
import { startSandboxApp, type SandboxApp } from '../../support/sandbox-app';

interface InvokeAnswer {
  type?: string;
  value?: unknown;
}

describe('simulated step-up in the sandbox', function () {
  this.timeout(20_000);
  let sandbox: SandboxApp;

  beforeEach(async () => {
    sandbox = await startSandboxApp({ APPROVAL_STEP_UP: 'simulated' });
  });
  afterEach(async () => {
    await sandbox.stop();
  });

  it('asks each approver to sign in (simulated) before the approval counts, and says so', async () => {
    const sam = sandbox.person('sam.rivera@contoso.com');
    const { requestId, ctx } = await sandbox.askFor(sam, 'user bob.smith@contoso.com Phished');
    const click = async (upn: string): Promise<InvokeAnswer> =>
      (await sandbox.post(cardAction(sandbox.person(upn), 'approve', { requestId }, ctx)))
        .body as InvokeAnswer;

    for (const upn of ['priya.patel@contoso.com', 'marcus.chen@contoso.com']) {
      const asked = await click(upn);
      assert.equal(asked.type, 'application/vnd.microsoft.activity.message');
      assert.match(String(asked.value), /^Simulated MFA — sandbox: /);
      const counted = await click(upn);
      assert.equal(
        counted.type,
        'application/vnd.microsoft.card.adaptive',
        JSON.stringify(counted),
      );
      assert.match(
        cardText(counted.value),
        /approved with MFA at \d\d:\d\d UTC — simulated MFA, sandbox/,
      );
    }
    const request = await sandbox.app.store.get(requestId);
    assert.notEqual(request?.status, 'pending');
    assert.deepEqual(
      request?.approvals.map((a) => a.stepUp?.method),
      ['simulated', 'simulated'],
    );
  });

  it('asks for the same before a batch approval counts', async () => {
    const sam = sandbox.person('sam.rivera@contoso.com');
    const { connector, serviceUrl } = sandbox;
    const before = connector.posted().length;
    const message = channelMessage(
      sam,
      'users bob.smith@contoso.com alice.johnson@contoso.com Phishing wave',
      { serviceUrl },
    );
    await sandbox.post(message);
    const posted = await connector.waitFor(() =>
      connector
        .posted()
        .slice(before)
        .find((a) => cardOf(a)),
    );
    const actions = (cardOf(posted)?.actions ?? []) as {
      verb?: string;
      data?: { batchId?: string };
    }[];
    const batchId = actions.find((a) => a.verb === 'batchApprove')?.data?.batchId;
    assert.ok(batchId);
    const ctx = { serviceUrl, threadId: String(message.id), cardActivityId: String(posted.id) };
    const click = async (upn: string): Promise<InvokeAnswer> =>
      (await sandbox.post(cardAction(sandbox.person(upn), 'batchApprove', { batchId }, ctx)))
        .body as InvokeAnswer;

    for (const upn of ['priya.patel@contoso.com', 'marcus.chen@contoso.com']) {
      assert.match(String((await click(upn)).value), /^Simulated MFA — sandbox: /);
      const counted = await click(upn);
      assert.equal(
        counted.type,
        'application/vnd.microsoft.card.adaptive',
        JSON.stringify(counted),
      );
    }
    const batch = await sandbox.app.batches.getBatch(batchId);
    assert.notEqual(batch?.status, 'pending');
    assert.deepEqual(
      batch?.approvals.map((a) => a.stepUp?.method),
      ['simulated', 'simulated'],
    );
  });
});
