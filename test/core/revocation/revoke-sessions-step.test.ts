// The session revocation says only what it read back: verified when signInSessionsValidFromDateTime
// moved, "accepted, not verifiable" (on the card, in the audit trail, in "What may still work")
// when it could not be read, and failed when it shows the revocation did not take.
import { strict as assert } from 'node:assert';
import { DirectoryError } from '../../../src/core/errors';
import type { EntraDirectory } from '../../../src/core/ports';
import { SESSION_STEP_IDS } from '../../../src/core/paths/entra-sessions';
import { residualAccess } from '../../../src/core/revocation/residual-access';
import { renderRequestCard } from '../../../src/teams/cards/render-request-card';
import { cardText } from '../../support/card-text';
import { MemoryAuditLog } from '../../support/memory-audit-log';
import { BOB_UPN, harness, saved } from './engine-harness';

const REVOKE = SESSION_STEP_IDS.revoke;

/** The directory, with the valid-from reads answered by `read` (call number from 1). */
function readsWith(
  read: (call: number, real: () => Promise<string | undefined>) => Promise<string | undefined>,
) {
  return (d: EntraDirectory): EntraDirectory => {
    const wrapped = Object.create(d) as EntraDirectory;
    let calls = 0;
    wrapped.getSignInSessionsValidFrom = (id) =>
      read(++calls, () => d.getSignInSessionsValidFrom(id));
    return wrapped;
  };
}

const denied = () =>
  new DirectoryError('permission', 'Insufficient privileges to complete the operation.', {
    code: 'Authorization_RequestDenied',
  });

describe('session revocation step: only what was read back', () => {
  it('is verified when signInSessionsValidFromDateTime moved, and says so on the card', async () => {
    const audit = new MemoryAuditLog();
    const h = await harness(BOB_UPN, { audit });
    await h.engine.run(h.request.id);
    const done = await saved(h);
    const step = done.steps.find((s) => s.id === REVOKE);
    assert.deepEqual(step?.verification, { state: 'verified' });
    assert.equal(step?.facts?.['validFrom'], '2026-03-02T10:00:00Z');
    assert.equal(done.status, 'completed');
    const card = cardText(renderRequestCard(done, { now: h.clock.now() }));
    assert.match(card, /✓ verified [^|]*\| {2}Revoke refresh tokens and sign-in sessions/);
    assert.match(card, /All 3 steps succeeded/);
    const record = audit.ofType('step.succeeded').find((r) => r.details['stepId'] === REVOKE);
    assert.equal(record?.details['verification'], 'verified');
  });

  it('is "accepted, not verifiable" when the read-back fails, never a silent success', async () => {
    const audit = new MemoryAuditLog();
    const h = await harness(BOB_UPN, {
      audit,
      wrapDirectory: readsWith((call, real) => (call === 1 ? real() : Promise.reject(denied()))),
    });
    await h.engine.run(h.request.id);
    const done = await saved(h);
    const step = done.steps.find((s) => s.id === REVOKE);
    assert.equal(step?.status, 'succeeded');
    assert.equal(step?.verification?.state, 'unverifiable');
    assert.match(
      step?.verification?.state === 'unverifiable' ? step.verification.why : '',
      /signInSessionsValidFromDateTime could not be read back \(Authorization_RequestDenied/,
    );
    // The revocation itself was sent and accepted.
    assert.ok(h.sandbox.directory.signInSessionsValidFrom(done.target.id));

    const card = cardText(renderRequestCard(done, { now: h.clock.now() }));
    assert.match(
      card,
      /✓ accepted — not verifiable [^|]*\| {2}Revoke refresh tokens and sign-in sessions \| {2}— signInSessionsValidFromDateTime could not be read back/,
    );
    assert.match(card, /Completed — not all verified/);
    assert.match(card, /Accepted but not verifiable: Revoke refresh tokens and sign-in sessions/);
    assert.doesNotMatch(card, /All 3 steps succeeded/);

    const sessions = residualAccess(done).find(
      (l) => l.what === 'Refresh tokens and sign-in sessions',
    );
    assert.match(sessions?.until ?? '', /not verified/);
    assert.match(sessions?.adminCan ?? '', /signInSessionsValidFromDateTime/);

    const record = audit.ofType('step.succeeded').find((r) => r.details['stepId'] === REVOKE);
    assert.equal(record?.details['verification'], 'unverifiable');
    assert.match(String(record?.details['notVerifiedBecause']), /could not be read back/);
    assert.deepEqual(audit.ofType('run.finished')[0]?.details['unverifiableSteps'], [REVOKE]);
    assert.match(h.notifier.milestones.at(-1)?.text ?? '', /not all verified/);
  });

  it('is "accepted, not verifiable" when Graph shows no valid-from time afterwards', async () => {
    const h = await harness(BOB_UPN, {
      wrapDirectory: readsWith(() => Promise.resolve(undefined)),
    });
    await h.engine.run(h.request.id);
    const step = (await saved(h)).steps.find((s) => s.id === REVOKE);
    assert.equal(step?.verification?.state, 'unverifiable');
  });

  it('is "accepted, not verifiable" when the value before could not be read to compare', async () => {
    const h = await harness(BOB_UPN, {
      wrapDirectory: readsWith((call, real) => (call === 1 ? Promise.reject(denied()) : real())),
    });
    await h.engine.run(h.request.id);
    const step = (await saved(h)).steps.find((s) => s.id === REVOKE);
    assert.equal(step?.verification?.state, 'unverifiable');
    assert.match(
      step?.verification?.state === 'unverifiable' ? step.verification.why : '',
      /value before the revocation could not be read/,
    );
  });

  it('fails when the read-back shows the revocation did not take', async () => {
    const h = await harness(BOB_UPN, {
      // Graph says value=true, yet the time never moves from an old revocation.
      wrapDirectory: (d) => {
        const wrapped = Object.create(d) as EntraDirectory;
        wrapped.revokeSignInSessions = () => Promise.resolve();
        wrapped.getSignInSessionsValidFrom = () => Promise.resolve('2025-01-01T00:00:00Z');
        return wrapped;
      },
    });
    await h.engine.run(h.request.id);
    const done = await saved(h);
    const step = done.steps.find((s) => s.id === REVOKE);
    assert.equal(step?.status, 'failed');
    assert.match(step?.error?.message ?? '', /still reads 2025-01-01T00:00:00Z/);
    assert.equal(done.status, 'completed_with_failures');
  });
});
