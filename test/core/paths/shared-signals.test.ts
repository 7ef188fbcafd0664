// The Shared Signals path: which events a run's steps justify, the plan and restore it makes, and
// its step run by the real engine against the real transmitter and an HTTPS receiver stand-in:
// acknowledged SETs, a receiver down for a while, and the outbox that re-sends the same jti.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RevocationRequest, Step } from '../../../src/core/model';
import { DirectoryError } from '../../../src/core/errors';
import { withInventory, pendingStep } from '../../../src/core/paths/access-path';
import { Connectors } from '../../../src/core/paths/connectors';
import {
  sharedSignalsPath,
  signalEvents,
  SIGNAL_KINDS,
} from '../../../src/core/paths/shared-signals';
import { REVOCATION_EVENTS, SHARED_SIGNALS, SSF_EVENTS } from '../../../src/core/saas/ssf-port';
import { RequestUpdater } from '../../../src/core/request-updater';
import { RevocationEngine } from '../../../src/core/revocation/engine';
import { buildPlan } from '../../../src/core/revocation/plan';
import { buildRestorePlan } from '../../../src/core/revocation/restore-plan';
import { residualAccess } from '../../../src/core/revocation/residual-access';
import { loadSandboxTenant, type SandboxTenant } from '../../../src/directory/sandbox';
import { SsfTransmitter } from '../../../src/ssf/transmitter';
import { ALICE, aRequest } from '../../support/builders';
import { captureLogger } from '../../support/capture-logger';
import { FakeClock } from '../../support/fake-clock';
import { MemoryRequestStore } from '../../support/memory-store';
import { RecordingNotifier } from '../../support/recording-notifier';
import { SsfReceiverStandin } from '../../support/ssf-receiver-standin';
import {
  startTransmitter,
  writeKeyPair,
  type TransmitterHarness,
} from '../../support/ssf-transmitter-harness';

const AUDIENCE = 'https://okta.example.test';
const FINISHED = '2026-12-04T10:00:05.000Z';

function done(id: string, kind: string, extra: Partial<Step> = {}): Step {
  return {
    ...pendingStep(id, kind, id),
    status: 'succeeded',
    finishedAt: FINISHED,
    verification: { state: 'verified' },
    ...extra,
  };
}

function finishedRevocation(extra: Step[] = []): RevocationRequest {
  return aRequest({
    id: 'R-SSF0001',
    status: 'running',
    profile: 'compromised',
    steps: [
      done('entra-disable', 'entra.disableAccount'),
      done('entra-revoke-sessions', 'entra.revokeSessions'),
      done('ad-reset-password', 'ad.resetPasswordTwice'),
      done('auth-method-m1', 'entra.removeAuthMethod', {
        subject: { id: 'm1', name: 'FIDO2 key', type: 'fido2AuthenticationMethod' },
        facts: { wasPresent: true },
      }),
      { ...done('ad-disable', 'ad.disableAccount'), status: 'failed', verification: undefined },
      ...extra,
    ],
  });
}

describe('the Shared Signals access path', () => {
  it('signals only what succeeded, among the events the receiver asked for', () => {
    const events = signalEvents(finishedRevocation(), REVOCATION_EVENTS);
    assert.deepEqual(
      events.map((e) => e.type),
      [
        SSF_EVENTS.accountDisabled,
        SSF_EVENTS.sessionRevoked,
        SSF_EVENTS.credentialChange,
        SSF_EVENTS.credentialChange,
      ],
    );
    assert.deepEqual(events[0]?.members, { reason: 'hijacking' });
    assert.equal(events[1]?.members.event_timestamp, Date.parse(FINISHED) / 1000);
    assert.deepEqual(
      events.slice(2).map((e) => [e.members.credential_type, e.members.change_type]),
      [
        ['password', 'update'],
        ['fido2-roaming', 'delete'],
      ],
    );
    assert.deepEqual(
      signalEvents(finishedRevocation(), [SSF_EVENTS.sessionRevoked]).map((e) => e.type),
      [SSF_EVENTS.sessionRevoked],
    );
    const failedDisable = finishedRevocation();
    failedDisable.steps = failedDisable.steps.filter((s) => s.id !== 'entra-disable');
    assert.ok(
      !signalEvents(failedDisable, REVOCATION_EVENTS).some(
        (e) => e.type === SSF_EVENTS.accountDisabled,
      ),
      'a failed AD disable alone is no account-disabled',
    );
  });

  it('plans one step per receiver, after the steps it reports on; the restore signals the enable', () => {
    const plan = buildPlan(ALICE, [
      {
        name: 'before',
        plan: () => ({
          steps: [
            pendingStep('entra-disable', 'entra.disableAccount', 'x'),
            pendingStep('entra-revoke-sessions', 'entra.revokeSessions', 'x'),
            pendingStep('device-1', 'entra.disableDevice', 'x'),
          ],
          notes: [],
        }),
        targetFacts: {},
      },
      withInventory(sharedSignalsPath, [
        { id: 'okta', name: 'okta' },
        { id: '6f1c-stream', name: 'google' },
      ]),
    ]);
    const signals = plan.steps.filter((s) => s.kind === SIGNAL_KINDS.signal);
    assert.deepEqual(
      signals.map((s) => [s.id, s.title, s.dependsOn]),
      [
        ['ssf-okta', 'Signal okta (Shared Signals)', ['entra-disable', 'entra-revoke-sessions']],
        [
          'ssf-6f1c-stream',
          'Signal google (Shared Signals)',
          ['entra-disable', 'entra-revoke-sessions'],
        ],
      ],
    );
    assert.match(plan.notes.join(' '), /each receiver decides how it acts/);

    const original = finishedRevocation([
      done('ssf-okta', SIGNAL_KINDS.signal, { subject: { id: 'okta', name: 'okta' } }),
    ]);
    original.steps[0] = {
      ...done('entra-disable', 'entra.disableAccount'),
      facts: { wasEnabled: true },
    };
    const restore = buildRestorePlan(original);
    const signal = restore.steps.find((s) => s.kind === SIGNAL_KINDS.signal);
    assert.equal(signal?.title, 'Restore: signal okta (Shared Signals)');
    assert.deepEqual(signal?.dependsOn, ['restore-entra-enable']);
  });
});

describe('the Shared Signals step in the engine (real transmitter, receiver stand-in)', function () {
  this.timeout(20_000);
  let dir: string;
  let sandbox: SandboxTenant;
  let receiver: SsfReceiverStandin;
  let harness: TransmitterHarness;
  let clock: FakeClock;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'revoke-ssf-path-'));
    // The receiver checks iat against its own (real) clock.
    clock = new FakeClock(new Date().toISOString());
    sandbox = await loadSandboxTenant(undefined, { clock });
    receiver = new SsfReceiverStandin({ issuer: '', audience: AUDIENCE });
    await receiver.start();
    harness = await startTransmitter(
      {
        signingKeyFile: writeKeyPair(dir, 'key').privateFile,
        previousKeyFiles: [],
        receivers: [
          {
            name: 'okta',
            pushUrl: receiver.pushUrl,
            audience: AUDIENCE,
            subjectFormat: 'email',
            events: [...REVOCATION_EVENTS],
          },
        ],
        clients: [],
        pushTimeoutMs: 5_000,
      },
      { clock },
    );
    receiver.expect({ issuer: harness.issuer });
  });

  afterEach(async () => {
    await harness.stop();
    await receiver.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const signalStep = (): Step => ({
    ...pendingStep('ssf-okta', SIGNAL_KINDS.signal, 'Signal okta (Shared Signals)', [
      'entra-disable',
      'entra-revoke-sessions',
    ]),
    subject: { id: 'okta', name: 'okta' },
  });

  async function run(
    store: MemoryRequestStore,
    id: string,
    signals = harness.transmitter as SsfTransmitter | undefined,
    maxAttempts = 8,
  ): Promise<RevocationRequest> {
    const connectors = new Connectors();
    if (signals) connectors.set(SHARED_SIGNALS, signals);
    const engine = new RevocationEngine({
      updater: new RequestUpdater(store),
      directory: sandbox.directory,
      onPrem: undefined,
      notifier: new RecordingNotifier(),
      clock,
      logger: captureLogger([]),
      concurrency: 2,
      retryPolicy: { maxAttempts },
      connectors,
    });
    await engine.run(id);
    const saved = await store.get(id);
    assert.ok(saved);
    return saved;
  }

  async function stored(request: RevocationRequest): Promise<MemoryRequestStore> {
    const store = new MemoryRequestStore();
    await store.create(request);
    return store;
  }

  it('delivers the SETs, verified, and says who acknowledged them and when', async () => {
    const request = finishedRevocation([signalStep()]);
    const finished = await run(await stored(request), request.id);
    const step = finished.steps.find((s) => s.id === 'ssf-okta');
    assert.equal(step?.status, 'succeeded', JSON.stringify([step?.error, receiver.refused]));
    assert.deepEqual(step?.verification, { state: 'verified' });
    const at = clock.now().toISOString().slice(0, 16).replace('T', ' ');
    assert.equal(
      step?.outcome,
      `okta: account-disabled, session-revoked, credential-change, credential-change acknowledged by okta at ${at} UTC`,
    );
    assert.equal(receiver.accepted.length, 4);
    assert.deepEqual(receiver.refused, []);
    assert.ok(receiver.accepted.every((s) => s.claims.txn === request.id));
    const line = residualAccess(finished).find((l) => l.what.startsWith('Apps that receive'));
    assert.ok(line?.revokeDid.includes(`signalled okta (acknowledged ${at} UTC)`), line?.revokeDid);
    assert.match(line?.until ?? '', /receiving app’s choice/);
  });

  it('waits out a receiver that is down for a while, then delivers each SET once', async () => {
    const request = finishedRevocation([signalStep()]);
    receiver.canned.push({ status: 503 }, { status: 503 }, { status: 429, retryAfter: '20' });
    const finished = await run(await stored(request), request.id);
    assert.equal(finished.steps.find((s) => s.id === 'ssf-okta')?.status, 'succeeded');
    assert.equal(receiver.accepted.length, 4);
    assert.deepEqual(receiver.duplicates, []);
    assert.ok(clock.sleeps.includes(20_000), `Retry-After honoured: ${clock.sleeps.join(', ')}`);
  });

  it('re-sends the same jti after an interruption: the receiver drops the duplicate', async () => {
    const request = finishedRevocation([signalStep()]);
    const store = await stored(request);
    // The receiver takes the first two SETs, but the step ends before it records the second
    // answer (as when the process dies right then); the rest are not sent.
    let calls = 0;
    const interrupted = Object.create(harness.transmitter) as SsfTransmitter;
    interrupted.deliver = async (id, claims) => {
      calls += 1;
      const answer = await harness.transmitter.deliver(id, claims);
      if (calls === 2) throw new DirectoryError('rejected', 'the process died here');
      return answer;
    };
    const first = await run(store, request.id, interrupted, 1);
    const failed = first.steps.find((s) => s.id === 'ssf-okta');
    assert.equal(failed?.status, 'failed');
    assert.equal(calls, 2);
    const outbox = [0, 1, 2, 3].map(
      (n) => (JSON.parse(String(failed?.facts?.[`set.${n}`])) as { jti: string }).jti,
    );

    // Run again (a resumed run, or "retry failed steps"): the saved SETs, not new ones.
    await store.compareAndSwap(
      {
        ...first,
        version: first.version + 1,
        status: 'running',
        steps: first.steps.map((s) => (s.id === 'ssf-okta' ? { ...s, status: 'pending' } : s)),
      },
      first.version,
    );
    const second = await run(store, request.id);
    assert.equal(second.steps.find((s) => s.id === 'ssf-okta')?.status, 'succeeded');
    assert.deepEqual(
      receiver.accepted.map((s) => s.jti),
      outbox,
      'every SET delivered once, with the jti saved before the first send',
    );
    // The acknowledged one is not sent again; the one whose answer was lost is.
    assert.deepEqual(receiver.duplicates, [outbox[1]]);
  });

  it('sends nothing to a receiver that is no longer configured, and says so', async () => {
    const request = finishedRevocation([
      { ...signalStep(), subject: { id: 'gone', name: 'gone' } },
    ]);
    const finished = await run(await stored(request), request.id);
    const step = finished.steps.find((s) => s.id === 'ssf-okta');
    assert.equal(step?.verification?.state, 'no_account');
    assert.equal(receiver.pushes, 0);
  });
});
