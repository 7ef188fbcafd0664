// The approvers of a real tenant as the card sees them: read from the directory, reused for a few
// minutes, and never an error (a card without mentions beats no card).
import { strict as assert } from 'node:assert';
import sinon from 'sinon';
import { DirectoryError } from '../../src/core/errors';
import type { Person } from '../../src/core/model';
import { DirectoryCardAudience } from '../../src/teams/directory-card-audience';
import { captureLogger } from '../support/capture-logger';
import { FakeClock } from '../support/fake-clock';

const GROUP = '13371b25-3f89-43d7-9bc9-09379c4d68f6';
const priya: Person = { id: '2b424d6f-9516-45f8-b57c-5000f2cfe62d', name: 'Priya Patel' };
const marcus: Person = { id: 'ec13c49e-4bde-414a-8b7c-5c83e3a78aeb', name: 'Marcus Chen' };

describe('DirectoryCardAudience', () => {
  it('lists the approver group (at most 60) and reuses the list for a few minutes', async () => {
    const clock = new FakeClock();
    const listGroupMembers = sinon.stub().resolves([priya]);
    const audience = new DirectoryCardAudience({ listGroupMembers }, GROUP, clock, captureLogger());
    const [first, second] = await Promise.all([audience.approvers(), audience.approvers()]);
    assert.deepEqual(first, [priya]);
    assert.deepEqual(second, [priya]);
    clock.advanceMinutes(4);
    await audience.approvers();
    assert.equal(listGroupMembers.callCount, 1, 'one listing serves a burst of renders');
    assert.deepEqual(listGroupMembers.firstCall.args, [GROUP, 60]);

    listGroupMembers.resolves([priya, marcus]);
    clock.advanceMinutes(2);
    assert.deepEqual(await audience.approvers(), [priya, marcus]);
    assert.equal(listGroupMembers.callCount, 2);
  });

  it('never throws: logs, keeps the last list if any, and asks again next time', async () => {
    const clock = new FakeClock();
    const logger = captureLogger();
    const refused = new DirectoryError('permission', 'Insufficient privileges', {
      code: 'Authorization_RequestDenied',
    });
    const listGroupMembers = sinon.stub().rejects(refused);
    const audience = new DirectoryCardAudience({ listGroupMembers }, GROUP, clock, logger);
    assert.deepEqual(await audience.approvers(), []);
    assert.deepEqual(await audience.approvers(), []);
    assert.equal(listGroupMembers.callCount, 2, 'a failure is not cached');
    assert.equal(logger.lines.filter((l) => l.level === 'warn').length, 2);

    listGroupMembers.resolves([priya]);
    assert.deepEqual(await audience.approvers(), [priya]);
    clock.advanceMinutes(10);
    listGroupMembers.rejects(refused);
    assert.deepEqual(await audience.approvers(), [priya], 'stale beats nothing');
  });
});
