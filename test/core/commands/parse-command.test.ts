import { strict as assert } from 'node:assert';
import { parseCommand, MAX_MESSAGE_LENGTH, USAGE } from '../../../src/core/commands/parse-command';
import { RequestRefused } from '../../../src/core/errors';

function refusal(text: string): RequestRefused {
  try {
    parseCommand(text);
  } catch (error) {
    assert.ok(error instanceof RequestRefused, `expected a refusal, got ${String(error)}`);
    return error;
  }
  assert.fail(`"${text}" was accepted`);
}

describe('parseCommand', () => {
  it('reads a revocation request with a free-text reason', () => {
    assert.deepEqual(parseCommand('user alice@contoso.com Phished via fake invoice'), {
      kind: 'revoke',
      target: 'alice@contoso.com',
      reason: 'Phished via fake invoice',
    });
  });

  it('is case-insensitive in the verb and lower-cases only the domain', () => {
    assert.deepEqual(parseCommand('USER Alice.Smith@Contoso.COM left the company'), {
      kind: 'revoke',
      target: 'Alice.Smith@contoso.com',
      reason: 'left the company',
    });
  });

  it('reads the address out of the link Teams puts around it, and decodes entities', () => {
    const text =
      '<p>user <a href="mailto:alice@contoso.com">alice@contoso.com</a>&nbsp;stolen laptop &amp; token</p>';
    assert.deepEqual(parseCommand(text), {
      kind: 'revoke',
      target: 'alice@contoso.com',
      reason: 'stolen laptop & token',
    });
  });

  it('accepts mailto: and apostrophes in the local part', () => {
    assert.equal(
      (parseCommand("user mailto:o'brien@contoso.com insider threat") as { target: string }).target,
      "o'brien@contoso.com",
    );
  });

  it('treats an empty message and "help" as help', () => {
    assert.deepEqual(parseCommand(''), { kind: 'help' });
    assert.deepEqual(parseCommand('   Help  '), { kind: 'help' });
  });

  it('reads status with a request id, in any case', () => {
    assert.deepEqual(parseCommand('status r-7k3q9mxa'), {
      kind: 'status',
      requestId: 'R-7K3Q9MXA',
    });
  });

  it('refuses a missing or too short reason, with the usage', () => {
    assert.match(refusal('user alice@contoso.com').message, /reason is required[\s\S]*Usage/);
    assert.match(refusal('user alice@contoso.com x').message, /reason is required/);
  });

  it('refuses a missing target', () => {
    assert.match(refusal('user').message, /whose access/);
  });

  for (const address of [
    'alice',
    'alice@',
    '@contoso.com',
    'alice@@contoso.com',
    'al ice@contoso.com',
    'alice@contoso',
    'alice@-contoso.com',
    '.alice@contoso.com',
    'ali..ce@contoso.com',
    '"alice"@contoso.com',
    'alice@contoso.com;bob@contoso.com',
    'alice@contoso.com)(objectClass=*',
    '*@contoso.com)',
    'аlice@contoso.com', // Cyrillic "а"
    'alice@contoso.com\\',
  ]) {
    it(`refuses the malformed address ${JSON.stringify(address)}`, () => {
      const error = refusal(`user ${address} compromised account`);
      assert.equal(error.code, 'bad_command');
      assert.match(error.message, /not a valid user principal name/);
    });
  }

  it('removes invisible characters, so what the requester saw is what is looked up', () => {
    assert.deepEqual(parseCommand('user ali\u200bce@contoso.com phished\u202e badly'), {
      kind: 'revoke',
      target: 'alice@contoso.com',
      reason: 'phished badly',
    });
  });

  it('turns control characters into spaces', () => {
    assert.deepEqual(parseCommand('user\talice@contoso.com\nlost\u0007laptop'), {
      kind: 'revoke',
      target: 'alice@contoso.com',
      reason: 'lost laptop',
    });
  });

  it('refuses oversized messages and reasons', () => {
    assert.match(
      refusal(`user alice@contoso.com ${'x'.repeat(MAX_MESSAGE_LENGTH)}`).message,
      /too long/,
    );
    assert.match(
      refusal(`user alice@contoso.com ${'x '.repeat(300)}`).message,
      /reason is too long/,
    );
  });

  it('refuses unknown verbs and bad request ids without echoing unbounded input', () => {
    const error = refusal(`${'z'.repeat(500)} alice@contoso.com`);
    assert.match(error.message, /don't know the command/);
    // The usage is appended; the echoed word is cut short.
    assert.ok(error.message.length < USAGE.length + 120, `${error.message.length} characters`);
    assert.ok(!error.message.includes('z'.repeat(100)));
    assert.match(refusal('status 12345').message, /not a request id/);
    assert.match(refusal('status R-7K3Q9MXA extra').message, /Usage: `status/);
    assert.match(refusal('status R-7K3Q9MXI').message, /not a request id/); // no I in the alphabet
  });
});
