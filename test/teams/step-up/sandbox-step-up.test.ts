// The sandbox shows the step-up flow without a real sign-in (APPROVAL_STEP_UP=simulated): the first
// click on Approve asks for a sign-in, the next one completes a simulated one, and the card marks
// the approval as simulated MFA, so nobody mistakes it for a proof.
import { strict as assert } from 'node:assert';
import { cardAction } from '../../support/activities';
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
});
