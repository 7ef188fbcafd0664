// APPROVAL_STEP_UP and its settings: read once at start, each bad variable named. Kept out of
// config.ts so that file only calls it.
import type { StepUpMode } from './core/step-up/step-up-proof';
import { GUID, type EnvReader } from './env-reader';

export interface StepUpConfig {
  mode: StepUpMode;
  /** The Azure Bot's OAuth connection setting that signs approvers in (APPROVAL_OAUTH_CONNECTION). */
  connectionName?: string;
  /** The step-up app registration's client id: the tokens' `aud` (APPROVAL_STEP_UP_AUDIENCE). */
  audience?: string;
  /** The tenant the approvers sign in to: the tokens' `tid`. */
  tenantId?: string;
  /** A Conditional Access authentication context id (`c1` …) that counts as MFA in `acrs`. */
  authContext?: string;
  /** How old a sign-in may be when it is presented (APPROVAL_MFA_MAX_AGE_SECONDS). */
  maxAgeSeconds: number;
  /** Where the issuer and its signing keys are published (the tenant's OpenID metadata). */
  metadataUrl?: string;
}

/** Tolerated clock difference between Entra ID and this host when comparing sign-in times. */
export const STEP_UP_SKEW_SECONDS = 30;

const REAL_ISSUER_SETTINGS = [
  'APPROVAL_OAUTH_CONNECTION',
  'APPROVAL_STEP_UP_AUDIENCE',
  'APPROVAL_STEP_UP_METADATA_URL',
] as const;

export function readStepUp(
  read: EnvReader,
  where: { sandbox: boolean; botAppId?: string; tenantId?: string },
): StepUpConfig {
  const mode = read.oneOf('APPROVAL_STEP_UP', ['off', 'required', 'simulated'] as const, 'off');
  const maxAgeSeconds = read.integer('APPROVAL_MFA_MAX_AGE_SECONDS', 300, 30, 3_600);
  const authContext = read.optional('APPROVAL_AUTH_CONTEXT');
  if (authContext !== undefined && !/^c([1-9]|[1-9][0-9])$/.test(authContext)) {
    read.problem(
      `APPROVAL_AUTH_CONTEXT must be a Conditional Access authentication context id, c1 to c99 (got "${authContext.slice(0, 20)}").`,
    );
  }
  if (where.sandbox) {
    // The sandbox never reaches a real issuer: it shows the flow with a simulated sign-in.
    if (mode === 'required') {
      read.problem(
        'APPROVAL_STEP_UP=required needs a real tenant: the sandbox never reaches a real sign-in. Use APPROVAL_STEP_UP=simulated to see the flow in the sandbox, or off.',
      );
    }
    for (const name of REAL_ISSUER_SETTINGS) {
      if (read.optional(name) !== undefined) {
        read.problem(
          `${name} is set but AZURE_TENANT_ID is not: the sandbox never reaches a real sign-in. Unset it, or use a real tenant.`,
        );
      }
    }
    return { mode, maxAgeSeconds, authContext };
  }
  if (mode === 'simulated') {
    read.problem(
      'APPROVAL_STEP_UP=simulated exists only in the sandbox: with a real tenant use required (recommended) or off.',
    );
  }
  if (mode !== 'required') return { mode: 'off', maxAgeSeconds, authContext };
  const connectionName = read.required(
    'APPROVAL_OAUTH_CONNECTION',
    "the name of the Azure Bot's OAuth connection setting approvers sign in through (APPROVAL_STEP_UP=required)",
  );
  const audience = read.required(
    'APPROVAL_STEP_UP_AUDIENCE',
    "the client id of the step-up app registration, the tokens' audience (APPROVAL_STEP_UP=required)",
  );
  if (audience !== '' && !GUID.test(audience) && !/^api:\/\/\S+$/.test(audience)) {
    read.problem(
      'APPROVAL_STEP_UP_AUDIENCE must be the step-up app registration\'s client id (a GUID) or its "api://…" Application ID URI.',
    );
  }
  if (!where.botAppId) {
    read.problem(
      'APPROVAL_STEP_UP=required needs bot authentication (MicrosoftAppId): the Bot Framework token service only answers an authenticated bot.',
    );
  }
  const tenantId = where.tenantId;
  if (tenantId === undefined || !GUID.test(tenantId)) {
    read.problem(
      "APPROVAL_STEP_UP=required needs the tenant's id (a GUID) in AZURE_TENANT_ID or ALLOWED_TENANT_ID: the tokens' tid is checked against it.",
    );
  }
  const metadataUrl = read.httpsUrl(
    'APPROVAL_STEP_UP_METADATA_URL',
    `https://login.microsoftonline.com/${tenantId ?? 'common'}/v2.0/.well-known/openid-configuration`,
  );
  return {
    mode,
    connectionName,
    audience,
    tenantId: tenantId?.toLowerCase(),
    authContext,
    maxAgeSeconds,
    metadataUrl,
  };
}
