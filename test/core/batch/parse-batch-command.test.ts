import { strict as assert } from 'node:assert';
import { RequestRefused } from '../../../src/core/errors';
import {
  csvEntries,
  isBatchCommand,
  MAX_BATCH_TARGETS,
  parseBatchCommand,
} from '../../../src/core/batch/parse-batch-command';

function refusal(action: () => unknown): RequestRefused {
  try {
    action();
  } catch (error) {
    assert.ok(error instanceof RequestRefused);
    return error;
  }
  assert.fail('expected a refusal');
}

describe('parseBatchCommand', () => {
  it('takes the addresses and the reason after the last address', () => {
    const command = parseBatchCommand('users alice@contoso.com bob@Contoso.COM Phished by invoice');
    assert.deepEqual(command.targets, ['alice@contoso.com', 'bob@contoso.com']);
    assert.equal(command.reason, 'Phished by invoice');
    assert.deepEqual(command.malformed, []);
  });

  it('recognises the verb only at the start', () => {
    assert.ok(isBatchCommand(' Users a@b.co x'));
    assert.ok(!isBatchCommand('user a@b.co x'));
    assert.ok(!isBatchCommand('status users'));
  });

  it('drops duplicates whatever their case and accepts comma or semicolon lists', () => {
    const command = parseBatchCommand(
      'users a@contoso.com, A@CONTOSO.com;a@contoso.com b@contoso.com wave 2',
    );
    assert.deepEqual(command.targets, ['a@contoso.com', 'b@contoso.com']);
    assert.equal(command.duplicates, 2);
  });

  it('keeps valid entries and lists malformed ones (mixed valid and invalid)', () => {
    const command = parseBatchCommand(
      'users a@contoso.com @nope x@@y.com ａlice@contoso.com <script>@x.com b@contoso.com Reason here',
    );
    assert.deepEqual(command.targets, ['a@contoso.com', 'b@contoso.com']);
    assert.equal(command.malformed.length, 4);
    assert.ok(command.malformed.every((m) => m.length <= 61));
  });

  it('refuses more than 1,000 users instead of dropping some', () => {
    const list = Array.from({ length: MAX_BATCH_TARGETS + 1 }, (_, i) => `u${i}@c.io`).join(' ');
    assert.match(
      refusal(() => parseBatchCommand(`users ${list} too many`)).message,
      /more than 1000/,
    );
    const exactly = Array.from({ length: MAX_BATCH_TARGETS }, (_, i) => `u${i}@c.io`).join(' ');
    assert.equal(parseBatchCommand(`users ${exactly} exactly enough`).targets.length, 1000);
  });

  it('counts unique addresses against the limit, so duplicates cannot dodge or trip it', () => {
    const list = Array.from({ length: 3_000 }, (_, i) => `u${i % 10}@c.io`).join('\n');
    const command = parseBatchCommand('users reason for it', list);
    assert.equal(command.targets.length, 10);
    assert.equal(command.duplicates, 2_990);
  });

  it('refuses without a reason, without any address, or with only malformed entries', () => {
    assert.match(refusal(() => parseBatchCommand('users a@contoso.com')).message, /reason/);
    assert.match(refusal(() => parseBatchCommand('users just words')).message, /Say whose/);
    assert.match(
      refusal(() => parseBatchCommand('users @x @y reason')).message,
      /None of the entries/,
    );
  });

  it('refuses an over-long message and an over-long reason', () => {
    assert.match(
      refusal(() => parseBatchCommand(`users ${'a'.repeat(70_000)}`)).message,
      /too long/,
    );
    assert.match(
      refusal(() => parseBatchCommand(`users a@contoso.com ${'x'.repeat(600)}`)).message,
      /reason is too long/,
    );
  });

  it('reads a CSV: header, BOM, quotes, extra columns, comments, CRLF', () => {
    const csv =
      '\ufeffuserPrincipalName,name\r\n"a@contoso.com",Alice\r\n# a comment\r\n\r\nb@contoso.com;Bob\r\nnot-an-address\r\n';
    assert.deepEqual(csvEntries(csv), ['a@contoso.com', 'b@contoso.com', 'not-an-address']);
    const command = parseBatchCommand('users Phishing wave', csv);
    assert.deepEqual(command.targets, ['a@contoso.com', 'b@contoso.com']);
    assert.deepEqual(command.malformed, ['not-an-address']);
    assert.equal(command.reason, 'Phishing wave');
  });

  it('merges addresses typed in the message with those in the file', () => {
    const command = parseBatchCommand('users c@contoso.com wave', 'a@contoso.com\nc@contoso.com');
    assert.deepEqual(command.targets, ['c@contoso.com', 'a@contoso.com']);
    assert.equal(command.duplicates, 1);
  });

  it('refuses a file with absurdly many lines before parsing them all', () => {
    const csv = Array.from({ length: 6_000 }, () => 'x').join('\n');
    assert.match(
      refusal(() => parseBatchCommand('users reason here', csv)).message,
      /more than 5000 lines/,
    );
  });
});
