// The judgement of a validated token's claims: every refusal the issue names, and the one accept.
import { strict as assert } from 'node:assert';
import {
  checkStepUpProof,
  type ProofCheck,
  type StepUpPolicy,
} from '../../../src/core/step-up/step-up-proof';

const TENANT = '23c74162-706a-4cde-a310-c1f97bc2fed7';
const PRIYA = 'b0a1c2d3-0000-4000-8000-000000000002';
const MARCUS = 'b0a1c2d3-0000-4000-8000-000000000003';
const CHALLENGE = new Date('2026-12-04T16:00:00.000Z');
const seconds = (date: Date): number => Math.floor(date.getTime() / 1000);

const policy: StepUpPolicy = { tenantId: TENANT, maxAgeSeconds: 300, skewSeconds: 30 };

function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    tid: TENANT,
    oid: PRIYA,
    amr: ['pwd', 'mfa'],
    auth_time: seconds(CHALLENGE) + 20,
    uti: 'uti-priya-1',
    exp: seconds(CHALLENGE) + 3600,
    ...overrides,
  };
}

function check(
  overrides: Record<string, unknown> = {},
  context: { clickerId?: string; challengedAt?: Date | null; nowOffsetS?: number } = {},
  withPolicy: StepUpPolicy = policy,
): ProofCheck {
  return checkStepUpProof(
    claims(overrides),
    {
      clickerId: context.clickerId ?? PRIYA,
      challengedAt: context.challengedAt === null ? undefined : (context.challengedAt ?? CHALLENGE),
      now: new Date(CHALLENGE.getTime() + (context.nowOffsetS ?? 40) * 1000),
    },
    withPolicy,
  );
}

function refusal(result: ProofCheck): string {
  assert.equal(result.ok, false, 'expected a refusal');
  return result.ok ? '' : result.code;
}

describe('step-up proof check', () => {
  it('accepts a fresh MFA sign-in by the clicker after the challenge', () => {
    const result = check();
    assert.ok(result.ok);
    assert.deepEqual(result.proof, {
      method: 'mfa',
      authTime: '2026-12-04T16:00:20.000Z',
      tokenId: 'uti-priya-1',
      expiresAt: '2026-12-04T17:00:00.000Z',
    });
  });

  it('refuses a sign-in without MFA', () => {
    assert.equal(refusal(check({ amr: ['pwd'] })), 'no_mfa');
    assert.equal(refusal(check({ amr: undefined })), 'no_mfa');
  });

  it('accepts the configured authentication context in acrs, and only that one', () => {
    const withContext = { ...policy, authContext: 'c1' };
    const result = check({ amr: ['pwd'], acrs: ['c1'] }, {}, withContext);
    assert.ok(result.ok);
    assert.equal(result.proof.method, 'auth_context');
    assert.equal(refusal(check({ amr: ['pwd'], acrs: ['c2'] }, {}, withContext)), 'no_mfa');
    assert.equal(refusal(check({ amr: ['pwd'], acrs: ['c1'] })), 'no_mfa', 'no context set');
  });

  it('refuses a sign-in that is too old', () => {
    assert.equal(refusal(check({}, { nowOffsetS: 20 + 300 + 31 })), 'mfa_too_old');
    assert.ok(check({}, { nowOffsetS: 20 + 300 }).ok, 'just within the age');
  });

  it('refuses a sign-in made before the challenge (beyond the skew)', () => {
    assert.equal(refusal(check({ auth_time: seconds(CHALLENGE) - 31 })), 'auth_before_challenge');
    assert.ok(check({ auth_time: seconds(CHALLENGE) - 29 }).ok, 'within the skew');
    assert.equal(refusal(check({}, { challengedAt: null })), 'no_challenge');
    assert.equal(refusal(check({ auth_time: undefined })), 'no_auth_time');
  });

  it('refuses a sign-in dated in the future', () => {
    assert.equal(refusal(check({ auth_time: seconds(CHALLENGE) + 600 })), 'auth_in_future');
  });

  it("refuses another user's token", () => {
    assert.equal(refusal(check({ oid: MARCUS })), 'another_user');
    assert.equal(refusal(check({ oid: undefined })), 'another_user');
    assert.ok(check({ oid: PRIYA.toUpperCase() }).ok, 'object ids compare without case');
  });

  it('refuses a token from another tenant', () => {
    assert.equal(refusal(check({ tid: '00000000-0000-4000-8000-000000000000' })), 'wrong_tenant');
  });

  it('refuses a token without an id', () => {
    assert.equal(refusal(check({ uti: '' })), 'no_token_id');
  });
});
