import { strict as assert } from 'node:assert';
import { parseCommand } from '../../../src/core/commands/parse-command';
import { RequestRefused } from '../../../src/core/errors';

function refusal(text: string): string {
  try {
    parseCommand(text);
  } catch (error) {
    assert.ok(error instanceof RequestRefused);
    return error.message;
  }
  assert.fail(`"${text}" was accepted`);
}

describe('parseCommand: profiles, options, plan and restore', () => {
  it('keeps `user <upn> <reason>` a termination with no options', () => {
    assert.deepEqual(parseCommand('user alice@contoso.com left today'), {
      kind: 'revoke',
      target: 'alice@contoso.com',
      reason: 'left today',
    });
  });

  it('reads the profile and the retire option after the address', () => {
    for (const text of [
      'user alice@contoso.com --profile compromised Phished',
      'user alice@contoso.com --compromised Phished',
      'user alice@contoso.com --PROFILE=Compromised Phished',
    ]) {
      assert.deepEqual(parseCommand(text), {
        kind: 'revoke',
        target: 'alice@contoso.com',
        reason: 'Phished',
        profile: 'compromised',
      });
    }
    assert.deepEqual(
      parseCommand('user alice@contoso.com --retire-devices --profile termination Left'),
      {
        kind: 'revoke',
        target: 'alice@contoso.com',
        reason: 'Left',
        profile: 'termination',
        options: { retireDevices: true },
      },
    );
  });

  it('refuses unknown, repeated and misplaced options instead of reading them as the reason', () => {
    assert.match(refusal('user alice@contoso.com --wipe Phished'), /Unknown option `--wipe`/);
    assert.match(
      refusal('user alice@contoso.com --profile hacked Phished'),
      /must be `termination` or `compromised`/,
    );
    assert.match(
      refusal('user alice@contoso.com --compromised --profile termination x y z'),
      /only once/,
    );
    assert.match(
      refusal('user alice@contoso.com Phished --compromised'),
      /right after the address/,
    );
    assert.match(refusal('user alice@contoso.com --compromised'), /reason is required/);
  });

  it('reads a dry run, which takes no reason', () => {
    assert.deepEqual(parseCommand('plan user Alice@Contoso.com --compromised --retire-devices'), {
      kind: 'plan',
      target: 'Alice@contoso.com',
      profile: 'compromised',
      options: { retireDevices: true },
    });
    assert.match(refusal('plan alice@contoso.com'), /plan user/);
    assert.match(refusal('plan user alice@contoso.com because'), /takes no reason/);
  });

  it('reads a restore with its reason', () => {
    assert.deepEqual(parseCommand('restore r-7k3q9mxa False alarm'), {
      kind: 'restore',
      requestId: 'R-7K3Q9MXA',
      reason: 'False alarm',
    });
    assert.match(refusal('restore R-7K3Q9MXA'), /Say why/);
    assert.match(refusal('restore nope False alarm'), /is not a request id/);
  });
});
