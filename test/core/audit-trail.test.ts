// AuditTrail on its own: the bounded buffer of held records, and what is logged about the gap.
import { strict as assert } from 'node:assert';
import { AuditTrail, AuditUnavailable } from '../../src/core/audit-trail';
import type { AuditEvent } from '../../src/core/audit-event';
import { captureLogger } from '../support/capture-logger';
import { FakeClock } from '../support/fake-clock';
import { MemoryAuditLog } from '../support/memory-audit-log';

function step(n: number): AuditEvent {
  return {
    type: 'step.succeeded',
    at: `2026-03-02T10:00:0${n}.000Z`,
    requestId: 'R-1',
    details: { stepId: `s${n}` },
  };
}

describe('AuditTrail', () => {
  it('holds at most its bound, and the gap record counts what was lost', async () => {
    const log = new MemoryAuditLog();
    const logger = captureLogger();
    const trail = new AuditTrail(log, new FakeClock(), logger, 2);
    log.failAppends();
    for (let n = 1; n <= 4; n++) await trail.keep(step(n));
    assert.equal(trail.heldCount, 2);
    const errors = logger.lines.filter((l) => l.level === 'error').map((l) => l.message);
    assert.match(
      errors[0] ?? '',
      /audit store not answering: records of running revocations are held/,
    );
    assert.equal(errors.filter((m) => /audit record lost/.test(m)).length, 2);
    log.recover();
    await trail.flush();
    assert.deepEqual(
      log.records.map((r) => r.details['stepId'] ?? r.type),
      ['s1', 's2', 'audit.delayed'],
    );
    assert.deepEqual(
      [log.records[2]?.details['delayed'], log.records[2]?.details['dropped']],
      [2, 2],
    );
    assert.ok(
      logger.lines.some((l) => l.level === 'warn' && /held records written late/.test(l.message)),
    );
  });

  it('a must-succeed append behind held records waits for them, and fails while the store does', async () => {
    const log = new MemoryAuditLog();
    const trail = new AuditTrail(log, new FakeClock(), captureLogger());
    log.failAppends();
    await trail.keep(step(1));
    await assert.rejects(trail.append(step(2)), AuditUnavailable);
    log.recover();
    await trail.append(step(3));
    assert.deepEqual(
      log.records.map((r) => r.details['stepId'] ?? r.type),
      ['s1', 'audit.delayed', 's3'],
    );
  });

  it('at shutdown, records still held go to the log in full rather than vanish', async () => {
    const log = new MemoryAuditLog();
    const logger = captureLogger();
    const trail = new AuditTrail(log, new FakeClock(), logger);
    log.failAppends();
    await trail.keep(step(1));
    await trail.close();
    const lost = logger.lines.find((l) => /audit records lost at shutdown/.test(l.message));
    assert.deepEqual(lost?.fields['records'], [step(1)]);
  });
});
