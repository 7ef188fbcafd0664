// The Okta path's own rules, without I/O: what it plans for each answer Okta gave before approval,
// what a restore puts back, and its line of "What may still work".
import { strict as assert } from 'node:assert';
import { DirectoryError } from '../../../src/core/errors';
import type { RevocationRequest, Step } from '../../../src/core/model';
import { registered, type GatherContext } from '../../../src/core/paths/access-path';
import { Connectors } from '../../../src/core/paths/connectors';
import { OKTA_CONNECTOR, OKTA_KINDS, oktaPath } from '../../../src/core/paths/okta';
import { residualAccess } from '../../../src/core/revocation/residual-access';
import { buildRestorePlan } from '../../../src/core/revocation/restore-plan';
import type { OktaAccount, OktaDirectory } from '../../../src/core/saas/okta-port';
import { aRequest, ALICE } from '../../support/builders';

const ACCOUNT: OktaAccount = { id: '00u1', login: ALICE.userPrincipalName, status: 'ACTIVE' };

function oktaAnswering(find: () => Promise<OktaAccount | undefined>): OktaDirectory {
  const unused = () => Promise.reject(new Error('not called before approval'));
  return {
    findUser: find,
    getUser: unused,
    suspendUser: unused,
    unsuspendUser: unused,
    deactivateUser: unused,
    clearSessions: unused,
    grantedScopes: unused,
  };
}

async function planWith(
  find: () => Promise<OktaAccount | undefined>,
  closing: 'suspend' | 'deactivate' = 'suspend',
) {
  const connectors = new Connectors().set(OKTA_CONNECTOR, {
    directory: oktaAnswering(find),
    closing,
  });
  const context = {
    connectors,
    user: {
      id: ALICE.id,
      userPrincipalName: ALICE.userPrincipalName,
      displayName: 'Alice',
      accountEnabled: true,
      onPremisesSyncEnabled: false,
    },
    retrying: (operation: () => Promise<unknown>) => operation(),
  } as unknown as GatherContext;
  const gathered = await registered(oktaPath).gather(context);
  assert.ok(gathered);
  return gathered.plan({ target: ALICE, profile: 'termination', planned: new Set() });
}

const done = (step: Step, facts: Step['facts']): Step => ({ ...step, status: 'succeeded', facts });

describe('the Okta path', () => {
  it('plans nothing without an Okta connector', async () => {
    const context = { connectors: new Connectors() } as unknown as GatherContext;
    assert.equal(await registered(oktaPath).gather(context), undefined);
  });

  it('names the account found, closes it first and then clears its sessions', async () => {
    const { steps, notes } = await planWith(() => Promise.resolve(ACCOUNT), 'deactivate');
    assert.deepEqual(
      steps.map((s) => [s.id, s.kind, s.title, s.dependsOn]),
      [
        ['okta-close', OKTA_KINDS.close, `Deactivate the Okta account ${ACCOUNT.login}`, []],
        [
          'okta-sessions',
          OKTA_KINDS.clearSessions,
          `End every Okta session and OAuth token of ${ACCOUNT.login}`,
          ['okta-close'],
        ],
      ],
    );
    assert.deepEqual(steps[0]?.subject, { id: '00u1', name: ACCOUNT.login, type: 'deactivate' });
    assert.deepEqual(notes, []);
  });

  it('touches nothing when Okta has several accounts for the user, and says so', async () => {
    const { steps, notes } = await planWith(() =>
      Promise.reject(new DirectoryError('rejected', 'two', { code: 'ambiguous' })),
    );
    assert.deepEqual(steps, []);
    assert.match(notes[0] ?? '', /Okta has several accounts for alice.*none is touched/);
  });

  it('does not let an Okta outage stop the request: the step looks the account up when it runs', async () => {
    const { steps, notes } = await planWith(() =>
      Promise.reject(new DirectoryError('transient', 'Okta answered 503')),
    );
    assert.deepEqual(steps[0]?.subject, { id: '', name: ALICE.userPrincipalName, type: 'suspend' });
    assert.match(
      notes[0] ?? '',
      /Okta did not answer when the request was made \(Okta answered 503\)/,
    );
  });

  it('names a set-up fault (a missing scope) on the card, touching nothing in Okta', async () => {
    const { steps, notes } = await planWith(() =>
      Promise.reject(new DirectoryError('permission', 'no okta.users.read')),
    );
    assert.deepEqual(steps, []);
    assert.match(
      notes[0] ?? '',
      /Okta refused to look up alice.*\(no okta\.users\.read\): nothing is done there/,
    );
  });

  it('restores a suspension of an account that was active, never a deactivation', async () => {
    const { steps } = await planWith(() => Promise.resolve(ACCOUNT));
    const [close, sessions] = steps as [Step, Step];
    const revoked: RevocationRequest = aRequest({
      status: 'completed',
      steps: [done(close, { oktaId: '00u1', statusBefore: 'ACTIVE' }), done(sessions, {})],
    });
    const restore = buildRestorePlan(revoked);
    const reopen = restore.steps.find((s) => s.kind === OKTA_KINDS.reopen);
    assert.deepEqual(reopen?.subject, { id: '00u1', name: ACCOUNT.login });
    assert.ok(
      restore.notes.includes(
        'Okta sessions and OAuth tokens are not restored: the user signs in again.',
      ),
    );

    const wasSuspended = buildRestorePlan({
      ...revoked,
      steps: [done(close, { oktaId: '00u1', statusBefore: 'SUSPENDED' })],
    });
    assert.equal(wasSuspended.steps.filter((s) => s.kind === OKTA_KINDS.reopen).length, 0);
    assert.ok(
      wasSuspended.notes.some((n) => /was already SUSPENDED before the revocation/.test(n)),
    );

    const deactivated = await planWith(() => Promise.resolve(ACCOUNT), 'deactivate');
    const gone = buildRestorePlan({
      ...revoked,
      steps: [done(deactivated.steps[0] as Step, { oktaId: '00u1', statusBefore: 'ACTIVE' })],
    });
    assert.equal(gone.steps.filter((s) => s.kind === OKTA_KINDS.reopen).length, 0);
    assert.ok(
      gone.notes.some((n) => /stays deactivated: reactivate it in the Okta admin console/.test(n)),
    );
  });

  it('says in "What may still work" what the run did in Okta, failures included', async () => {
    const { steps } = await planWith(() => Promise.resolve(ACCOUNT));
    const [close, sessions] = steps as [Step, Step];
    const failed = aRequest({
      status: 'completed_with_failures',
      steps: [
        done(close, { oktaId: '00u1', statusBefore: 'ACTIVE' }),
        { ...sessions, status: 'failed' },
      ],
    });
    const line = residualAccess(failed).find((l) =>
      l.what.startsWith('Sessions that apps keep themselves after an Okta'),
    );
    assert.match(
      line?.revokeDid ?? '',
      /closed the Okta account .*; Okta sessions were NOT cleared/,
    );
    assert.match(line?.adminCan ?? '', /retry the failed steps/);
  });
});
