// `help` as Teams shows it: a small card that lists each command on its own, with what to type as
// plain text (`<reason>`, never `&lt;reason&gt;`). Through /api/messages with the real app
// (sandbox tenant), the reply captured by the stand-in connector, and the card checked with the
// Adaptive Cards SDK.
import { strict as assert } from 'node:assert';
import { COMMAND_HELP, OPTION_HELP } from '../../src/core/commands/parse-command';
import { cardOf } from '../support/connector-standin';
import { channelMessage } from '../support/activities';
import { startSandboxApp, type SandboxApp } from '../support/sandbox-app';
import { adaptiveCardsProblems, elementsOfType, richLines } from './cards/card-checks';

describe('`help` through /api/messages (sandbox tenant)', function () {
  this.timeout(20_000);
  let sandbox: SandboxApp;
  beforeEach(async () => {
    sandbox = await startSandboxApp();
  });
  afterEach(() => sandbox.stop());

  it('answers with a card: one block per command, typed text shown as typed', async () => {
    const { connector, serviceUrl } = sandbox;
    const sam = sandbox.person('sam.rivera@contoso.com');
    await sandbox.post(channelMessage(sam, 'help', { serviceUrl }));
    const reply = await connector.waitFor(() => connector.posted()[0]);
    const card = cardOf(reply);
    assert.ok(card, `help is a card: ${JSON.stringify(reply)}`);
    assert.equal(reply.text, undefined, 'no run-on text paragraph beside the card');
    assert.deepEqual(adaptiveCardsProblems(card), []);

    const lines = richLines(card);
    for (const help of [...COMMAND_HELP, ...OPTION_HELP]) {
      assert.ok(
        lines.includes(help.syntax.join(' or ')),
        `"${help.syntax.join(' or ')}" is a line of its own: ${lines.join(' | ')}`,
      );
      assert.ok(lines.includes(help.what), `"${help.what}" is shown`);
    }
    assert.ok(lines.includes('user <upn-or-email> [options] <reason>'));
    const json = JSON.stringify(card);
    assert.ok(!json.includes('&lt;') && !json.includes('&gt;'), 'no escaped angle brackets');
    assert.ok(!json.includes('`'), 'no Markdown code spans: they are not Markdown on a card');
    // Only TextRuns carry the commands: a TextBlock is Markdown in Teams, a TextRun is plain text.
    for (const block of elementsOfType(card, 'TextBlock')) {
      assert.ok(!String(block['text']).includes('<'), String(block['text']));
    }
  });

  for (const [what, text] of [
    ['a command without a reason', 'user alice.johnson@contoso.com'],
    ['a command without an id', 'status'],
    ['a batch without users', 'users'],
    ['an unknown command', 'frobnicate alice'],
  ]) {
    it(`answers ${what} with what was wrong and the help card, no usage text`, async () => {
      const { connector, serviceUrl } = sandbox;
      const sam = sandbox.person('sam.rivera@contoso.com');
      await sandbox.post(channelMessage(sam, String(text), { serviceUrl }));
      const reply = await connector.waitFor(() => connector.posted()[0]);
      assert.ok(cardOf(reply), `the help card comes with the refusal: ${JSON.stringify(reply)}`);
      const said = String(reply.text);
      assert.ok(said.length > 0 && !said.includes('Usage:\n'), said);
      assert.ok(!/[<>]/.test(said), `no angle brackets for Teams to escape: ${said}`);
      assert.deepEqual(await sandbox.app.store.listByStatus(['pending']), [], 'nothing pending');
    });
  }
});
