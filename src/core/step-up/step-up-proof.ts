// Step-up MFA on approvals (APPROVAL_STEP_UP): what a fresh sign-in must show before a click on
// Approve or Reject counts. A click proves only that someone holds the approver's Teams session;
// a token from an interactive sign-in with MFA, made after the bot asked for it, proves that the
// approver's own credentials and second factor were used just now. This file is the pure judgement
// of a token's claims, after the Teams edge has checked its signature, issuer, audience and expiry.

/** `off`: clicks count as they are. `required`: every decision needs a proof. `simulated`: sandbox. */
export type StepUpMode = 'required' | 'off' | 'simulated';

export interface StepUpPolicy {
  /** The tenant whose users approve: the token's `tid`. */
  tenantId: string;
  /** A Conditional Access authentication context (`c1` …) that counts as MFA when in `acrs`. */
  authContext?: string;
  /** How old the sign-in (`auth_time`) may be when the token is presented. */
  maxAgeSeconds: number;
  /** Clock difference tolerated between Entra ID and this host. */
  skewSeconds: number;
}

/** What was proven, kept with the approval and in the audit trail. Never the token itself. */
export interface StepUpProof {
  /** `mfa`: `amr` named it; `auth_context`: the configured context was satisfied; `simulated`: sandbox. */
  method: 'mfa' | 'auth_context' | 'simulated';
  /** When the person signed in (the token's `auth_time`), ISO 8601. */
  authTime: string;
  /** The token's unique id (`uti`), used once. */
  tokenId: string;
  /** When the token expires (its `exp`): after that a replay fails on expiry alone. */
  expiresAt: string;
}

export type StepUpRefusalCode =
  | 'wrong_tenant'
  | 'another_user'
  | 'no_mfa'
  | 'no_auth_time'
  | 'no_challenge'
  | 'auth_before_challenge'
  | 'auth_in_future'
  | 'mfa_too_old'
  | 'no_token_id'
  | 'replayed'
  | 'invalid_token'
  | 'sign_in_incomplete';

export type ProofCheck =
  { ok: true; proof: StepUpProof } | { ok: false; code: StepUpRefusalCode; reason: string };

export interface ProofContext {
  /** The clicker's Entra object id (the activity's `aadObjectId`). */
  clickerId: string;
  /** When the bot asked this person to sign in for this request; unknown: no challenge was made. */
  challengedAt: Date | undefined;
  now: Date;
}

/**
 * Judges the claims of a token whose signature, issuer, audience and lifetime were already
 * checked. Each refusal names what was wrong, for the clicker and the audit trail; whether the
 * token id was used before is the ledger's to say (see StepUpLedger.claimToken).
 */
export function checkStepUpProof(
  claims: Readonly<Record<string, unknown>>,
  context: ProofContext,
  policy: StepUpPolicy,
): ProofCheck {
  const tid = stringClaim(claims, 'tid');
  if (tid === undefined || tid.toLowerCase() !== policy.tenantId.toLowerCase()) {
    return refuse('wrong_tenant', 'The sign-in was made in another tenant.');
  }
  const oid = stringClaim(claims, 'oid');
  if (oid === undefined || oid.toLowerCase() !== context.clickerId.toLowerCase()) {
    return refuse(
      'another_user',
      'The sign-in was made by another account than the one that clicked. Sign in as yourself.',
    );
  }
  const method = mfaMethod(claims, policy.authContext);
  if (method === undefined) {
    return refuse(
      'no_mfa',
      policy.authContext === undefined
        ? 'The sign-in did not use multi-factor authentication.'
        : `The sign-in did not use multi-factor authentication nor satisfy authentication context ${policy.authContext}.`,
    );
  }
  const authTime = numberClaim(claims, 'auth_time');
  if (authTime === undefined) {
    return refuse('no_auth_time', 'The token does not say when you signed in (no auth_time).');
  }
  if (context.challengedAt === undefined) {
    return refuse('no_challenge', 'No sign-in was asked of you for this request. Click again.');
  }
  const skewMs = policy.skewSeconds * 1000;
  const authMs = authTime * 1000;
  if (authMs < context.challengedAt.getTime() - skewMs) {
    return refuse(
      'auth_before_challenge',
      'That sign-in happened before the approval asked for one: an earlier session does not count. Sign in again.',
    );
  }
  if (authMs > context.now.getTime() + skewMs) {
    return refuse('auth_in_future', 'The sign-in time is in the future.');
  }
  if (context.now.getTime() - authMs > policy.maxAgeSeconds * 1000 + skewMs) {
    return refuse(
      'mfa_too_old',
      `The sign-in is more than ${policy.maxAgeSeconds} seconds old. Sign in again.`,
    );
  }
  const tokenId = stringClaim(claims, 'uti');
  if (tokenId === undefined) return refuse('no_token_id', 'The token has no id (uti).');
  const exp = numberClaim(claims, 'exp');
  return {
    ok: true,
    proof: {
      method,
      authTime: new Date(authMs).toISOString(),
      tokenId,
      // Validation already required `exp`; the fallback only keeps the type total.
      expiresAt: new Date((exp ?? authTime + policy.maxAgeSeconds) * 1000).toISOString(),
    },
  };
}

/** The message for a token whose id the ledger has seen before. */
export function replayRefusal(): ProofCheck {
  return refuse('replayed', 'That sign-in was already used for an approval. Sign in again.');
}

/** The sandbox's stand-in for a sign-in: marked as simulated wherever it is shown. */
export function simulatedProof(now: Date, tokenId: string): StepUpProof {
  return {
    method: 'simulated',
    authTime: now.toISOString(),
    tokenId,
    expiresAt: new Date(now.getTime() + 5 * 60_000).toISOString(),
  };
}

/** How a proof reads on the card and in messages. */
export function describeProof(proof: Pick<StepUpProof, 'method'>): string {
  switch (proof.method) {
    case 'mfa':
      return 'MFA';
    case 'auth_context':
      return 'MFA (authentication context)';
    case 'simulated':
      return 'simulated MFA — sandbox';
  }
}

function mfaMethod(
  claims: Readonly<Record<string, unknown>>,
  authContext: string | undefined,
): StepUpProof['method'] | undefined {
  if (stringList(claims, 'amr').includes('mfa')) return 'mfa';
  if (authContext !== undefined && stringList(claims, 'acrs').includes(authContext)) {
    return 'auth_context';
  }
  return undefined;
}

function refuse(code: StepUpRefusalCode, reason: string): ProofCheck {
  return { ok: false, code, reason };
}

function stringClaim(claims: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = claims[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function numberClaim(claims: Readonly<Record<string, unknown>>, name: string): number | undefined {
  const value = claims[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function stringList(claims: Readonly<Record<string, unknown>>, name: string): string[] {
  const value = claims[name];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
