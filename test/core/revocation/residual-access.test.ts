import { strict as assert } from 'node:assert';
import type { RevocationRequest, Step } from '../../../src/core/model';
import { residualAccess } from '../../../src/core/revocation/residual-access';

function step(id: string, kind: Step['kind'], extra: Partial<Step> = {}): Step {
  return {
    id,
    kind,
    title: id,
    dependsOn: [],
    status: 'succeeded',
    attempts: 1,
    startedAt: '2026-03-02T10:00:00.000Z',
    finishedAt: '2026-03-02T10:01:00.000Z',
    ...extra,
  };
}

function request(steps: Step[], extra: Partial<RevocationRequest> = {}): RevocationRequest {
  return {
    id: 'R-7K3Q9MXA',
    version: 9,
    status: 'completed',
    target: {
      id: 'u1',
      userPrincipalName: 'alice@contoso.com',
      displayName: 'Alice',
      onPremisesSynced: true,
      deviceCount: 2,
    },
    reason: 'x',
    requester: { id: 'r', name: 'Sam' },
    createdAt: '2026-03-02T09:50:00.000Z',
    expiresAt: '2026-03-02T10:50:00.000Z',
    requiredApprovals: 2,
    approvals: [],
    steps,
    planNotes: [],
    card: { conversationReference: '' },
    lifetimes: { accessTokenMinutes: 60, kerberosTicketHours: 10 },
    ...extra,
  };
}

const RUNBOOK = [
  step('ad-disable', 'ad.disableAccount', { finishedAt: '2026-03-02T10:00:30.000Z' }),
  step('ad-reset-password', 'ad.resetPasswordTwice'),
  step('entra-disable', 'entra.disableAccount'),
  step('entra-revoke-sessions', 'entra.revokeSessions', {
    facts: { validFrom: '2026-03-02T10:01:05Z' },
  }),
  step('device-1', 'entra.disableDevice', { subject: { id: '1', name: 'LT-1' } }),
  step('device-2', 'entra.disableDevice', {
    subject: { id: '2', name: 'PHONE' },
    status: 'failed',
  }),
];

describe('residualAccess: what may still work after a run', () => {
  it('termination: tokens until the revocation time plus the lifetime, tickets until AD disable plus 10 h', () => {
    const lines = residualAccess(request(RUNBOOK));
    const [tokens, cookies, devices, kerberos] = lines;
    assert.equal(lines.length, 4);
    assert.match(
      tokens?.until ?? '',
      /at most 2026-03-02 11:01 UTC \(60 min after the revocation at 2026-03-02 10:01 UTC\)/,
    );
    assert.match(tokens?.revokeDid ?? '', /disabled the account/);
    assert.match(cookies?.until ?? '', /until the user is deprovisioned/);
    assert.match(devices?.revokeDid ?? '', /disabled 1 of 2 registered device/);
    assert.match(devices?.revokeDid ?? '', /no Intune retire was asked for/);
    assert.match(
      kerberos?.until ?? '',
      /at most 2026-03-02 20:00 UTC \(10 h after the AD disable at 2026-03-02 10:00 UTC\)/,
    );
    assert.match(kerberos?.revokeDid ?? '', /reset its password twice/);
  });

  it('uses the lifetimes saved with the request', () => {
    const [tokens] = residualAccess(
      request(RUNBOOK, { lifetimes: { accessTokenMinutes: 90, kerberosTicketHours: 4 } }),
    );
    assert.match(tokens?.until ?? '', /11:31 UTC \(90 min/);
  });

  it('claims nothing a step did not do: a failed revocation says sessions still work', () => {
    const steps = RUNBOOK.map((s) =>
      s.kind === 'entra.revokeSessions'
        ? {
            ...s,
            status: 'failed' as const,
            facts: undefined,
            error: { code: 'x', message: 'Graph said no' },
          }
        : s.kind === 'ad.disableAccount'
          ? { ...s, status: 'failed' as const }
          : s,
    );
    const [tokens, , , ad] = residualAccess(request(steps, { status: 'completed_with_failures' }));
    assert.equal(tokens?.what, 'Refresh tokens and sign-in sessions');
    assert.match(tokens?.revokeDid ?? '', /failed \(Graph said no\)/);
    assert.match(ad?.until ?? '', /not disabled/);
  });

  it('compromised: names the consented apps, the risk confirmation, the retired devices and the kept methods', () => {
    const steps = [
      ...RUNBOOK,
      step('entra-confirm-compromised', 'entra.confirmCompromised'),
      step('auth-method-1', 'entra.removeAuthMethod', { subject: { id: '1', name: 'phone' } }),
      step('oauth-grant-1', 'entra.removeOAuthGrant', {
        subject: { id: 'g', name: 'Mail Sync Pro' },
      }),
      step('retire-1', 'intune.retireDevice', { subject: { id: 'm1', name: 'LT-1' } }),
      step('retire-2', 'intune.retireDevice', {
        subject: { id: 'm2', name: 'PHONE' },
        status: 'failed',
      }),
    ];
    const lines = residualAccess(request(steps, { profile: 'compromised' }));
    const text = JSON.stringify(lines);
    assert.match(lines[0]?.revokeDid ?? '', /confirmed the user compromised/);
    assert.match(lines[1]?.revokeDid ?? '', /consent removed\): Mail Sync Pro/);
    assert.match(lines[2]?.revokeDid ?? '', /Intune retire issued for LT-1; not retired: PHONE/);
    assert.equal(lines.at(-1)?.what, 'MFA methods registered before the recent window');
    assert.ok(!text.includes('wipe ') || text.includes('cannot be recovered'));
  });

  it('a cloud-only user has no Kerberos line; a restore has no section at all', () => {
    const cloud = request(RUNBOOK.slice(2));
    cloud.target.onPremisesSynced = false;
    assert.equal(residualAccess(cloud).length, 3);
    assert.deepEqual(residualAccess(request(RUNBOOK, { kind: 'restore' })), []);
  });
});
