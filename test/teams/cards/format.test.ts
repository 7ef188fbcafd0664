import { strict as assert } from 'node:assert';
import { elapsed, timeUntil, utcDateTime, utcTime } from '../../../src/teams/cards/format';

const NOW = new Date('2025-03-01T10:04:30.000Z');

describe('card time formatting', () => {
  it('shows times of the current UTC day as hours and minutes, others with the date', () => {
    assert.equal(utcTime('2025-03-01T10:04:59.000Z', NOW), '10:04 UTC');
    assert.equal(utcTime('2025-02-28T23:59:00.000Z', NOW), '2025-02-28 23:59 UTC');
    assert.equal(utcTime('2025-03-01T11:04:00.000+01:00', NOW), '10:04 UTC');
    assert.equal(utcTime('not a date', NOW), 'unknown time');
    assert.equal(utcDateTime('2025-03-01T09:00:00.000Z'), '2025-03-01 09:00 UTC');
  });

  it('says how long until a time', () => {
    assert.equal(timeUntil('2025-03-01T10:59:30.000Z', NOW), 'in 55 min');
    assert.equal(timeUntil('2025-03-01T10:05:00.000Z', NOW), 'in less than a minute');
    assert.equal(timeUntil('2025-03-01T11:09:30.000Z', NOW), 'in 1 h 5 min');
    assert.equal(timeUntil('2025-03-01T12:04:30.000Z', NOW), 'in 2 h');
    assert.equal(timeUntil('2025-03-01T10:00:00.000Z', NOW), 'now');
  });

  it('shows elapsed time compactly', () => {
    const at = (ms: number) => new Date(Date.parse('2025-03-01T10:00:00.000Z') + ms).toISOString();
    const start = at(0);
    assert.equal(elapsed(start, at(1234)), '1.2 s');
    assert.equal(elapsed(start, at(45_400)), '45 s');
    assert.equal(elapsed(start, at(125_000)), '2 min 5 s');
    assert.equal(elapsed(start, at(120_000)), '2 min');
    assert.equal(elapsed(start, at(-1)), undefined);
  });
});
