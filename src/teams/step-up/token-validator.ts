// Validates a step-up token as Entra ID issues it: the signature against the keys the tenant
// publishes (its OpenID metadata names the issuer and the JWKS), the issuer, the audience (the
// step-up app registration) and the lifetime (exp, nbf). The claims that say what the sign-in
// proved are judged afterwards by the core (checkStepUpProof). `jose` is an ES module: this
// CommonJS build loads it with import(). The token itself is never logged nor kept.
import type { JWTVerifyGetKey } from 'jose' with { 'resolution-mode': 'import' };

export class InvalidStepUpToken extends Error {
  constructor(
    readonly reason: string,
    cause?: unknown,
  ) {
    super(reason, { cause });
    this.name = 'InvalidStepUpToken';
  }
}

/** The issuer and its keys could not be read: the sign-in cannot be judged, so it does not count. */
export class StepUpIssuerUnavailable extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'StepUpIssuerUnavailable';
  }
}

export interface TokenValidatorSettings {
  /** The tenant's OpenID metadata (…/v2.0/.well-known/openid-configuration). */
  metadataUrl: string;
  /** The step-up app registration's client id (or Application ID URI). */
  audience: string;
  /** Seconds of clock difference tolerated on exp and nbf. */
  clockToleranceSeconds: number;
  /** The bot's clock, so expiry is judged on the same time as the rest of the proof. */
  now?: () => Date;
}

interface Issuer {
  issuer: string;
  keys: JWTVerifyGetKey;
}

const METADATA_TIMEOUT_MS = 10_000;

export class StepUpTokenValidator {
  /** The metadata and key set, read once; a failed read is tried again on the next token. */
  private issuer: Promise<Issuer> | undefined;

  constructor(private readonly settings: TokenValidatorSettings) {}

  /** The token's claims when it is authentic and current; InvalidStepUpToken says why not. */
  async validate(token: string): Promise<Record<string, unknown>> {
    const { jwtVerify, errors } = await import('jose');
    const { issuer, keys } = await this.issuerOf();
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer,
        audience: this.settings.audience,
        // Entra ID signs with RS256; anything else (HS256 with a public key, "none") is refused.
        algorithms: ['RS256'],
        requiredClaims: ['exp', 'iat'],
        clockTolerance: this.settings.clockToleranceSeconds,
        ...(this.settings.now ? { currentDate: this.settings.now() } : {}),
      });
      return payload as Record<string, unknown>;
    } catch (error) {
      if (error instanceof errors.JWTExpired) {
        throw new InvalidStepUpToken('The sign-in token has expired.', error);
      }
      if (error instanceof errors.JWTClaimValidationFailed) {
        const which =
          error.claim === 'iss' ? 'issuer' : error.claim === 'aud' ? 'audience' : error.claim;
        throw new InvalidStepUpToken(`The sign-in token has the wrong ${which}.`, error);
      }
      if (
        error instanceof errors.JWSSignatureVerificationFailed ||
        error instanceof errors.JWKSNoMatchingKey
      ) {
        throw new InvalidStepUpToken(
          "The sign-in token's signature does not match the tenant's keys.",
          error,
        );
      }
      // A network failure or timeout reading the keys says nothing about the token.
      const unreachable =
        error instanceof errors.JWKSTimeout || !(error instanceof errors.JOSEError);
      if (unreachable) {
        throw new StepUpIssuerUnavailable("The tenant's signing keys could not be read.", error);
      }
      throw new InvalidStepUpToken('The sign-in token is not valid.', error);
    }
  }

  private issuerOf(): Promise<Issuer> {
    this.issuer ??= this.readIssuer().catch((error: unknown) => {
      this.issuer = undefined;
      throw error;
    });
    return this.issuer;
  }

  private async readIssuer(): Promise<Issuer> {
    const { createRemoteJWKSet } = await import('jose');
    let metadata: { issuer?: unknown; jwks_uri?: unknown };
    try {
      const response = await fetch(this.settings.metadataUrl, {
        signal: AbortSignal.timeout(METADATA_TIMEOUT_MS),
        headers: { accept: 'application/json' },
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      metadata = (await response.json()) as typeof metadata;
    } catch (error) {
      throw new StepUpIssuerUnavailable(
        `The tenant's OpenID metadata could not be read (${error instanceof Error ? error.message : String(error)}).`,
        error,
      );
    }
    const { issuer, jwks_uri: jwksUri } = metadata;
    if (
      typeof issuer !== 'string' ||
      typeof jwksUri !== 'string' ||
      !jwksUri.startsWith('https:')
    ) {
      throw new StepUpIssuerUnavailable(
        "The tenant's OpenID metadata names no issuer or no https key set.",
      );
    }
    // jose caches the keys and fetches again only for an unknown key id (key rollover).
    return { issuer, keys: createRemoteJWKSet(new URL(jwksUri)) };
  }
}
