// A stand-in for an Entra ID tenant's sign-in keys, over HTTPS with the test CA: the v2.0 OpenID
// metadata (issuer, jwks_uri) and the JWKS, as login.microsoftonline.com publishes them, and a
// minter of the step-up tokens a sign-in through the Azure Bot OAuth connection would yield, with
// the claims step-up judges: amr, acrs, auth_time, uti, oid, tid.
import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { listenWithTestTls, type TlsListener } from '../test-tls-server';

export interface MintOptions {
  oid: string;
  /** Default ['pwd', 'mfa']. */
  amr?: string[];
  acrs?: string[];
  /** Seconds since the epoch; default now. */
  authTime?: number;
  uti?: string;
  aud?: string;
  iss?: string;
  tid?: string;
  /** Seconds from now; negative for an expired token. Default 3600. */
  expiresIn?: number;
  /** Sign with a key the JWKS does not hold (same kid): a forged signature. */
  signWith?: KeyObject;
  /** "now" for iat/nbf/exp/auth_time, in ms since the epoch; default the real time. */
  nowMs?: number;
}

export class OpenIdIssuerStandin {
  readonly kid = randomUUID();
  private readonly keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  private listener: TlsListener | undefined;
  /** How many times the JWKS was fetched: the validator must cache it. */
  jwksFetches = 0;

  constructor(
    readonly tenantId: string,
    /** The step-up app registration's client id: the tokens' audience. */
    readonly audience: string,
  ) {}

  /** As Entra ID v2.0 names itself in the metadata and in every token it signs. */
  get issuer(): string {
    return `https://login.microsoftonline.com/${this.tenantId}/v2.0`;
  }

  get metadataUrl(): string {
    return `${this.origin}/${this.tenantId}/v2.0/.well-known/openid-configuration`;
  }

  get origin(): string {
    if (!this.listener) throw new Error('issuer not started');
    return `https://127.0.0.1:${this.listener.port}`;
  }

  async start(): Promise<this> {
    this.listener = await listenWithTestTls((req, res) => {
      res.setHeader('content-type', 'application/json');
      const path = (req.url ?? '').split('?')[0];
      if (path === `/${this.tenantId}/v2.0/.well-known/openid-configuration`) {
        res.end(
          JSON.stringify({
            issuer: this.issuer,
            jwks_uri: `${this.origin}/${this.tenantId}/discovery/v2.0/keys`,
            authorization_endpoint: `${this.origin}/${this.tenantId}/oauth2/v2.0/authorize`,
            token_endpoint: `${this.origin}/${this.tenantId}/oauth2/v2.0/token`,
            id_token_signing_alg_values_supported: ['RS256'],
          }),
        );
      } else if (path === `/${this.tenantId}/discovery/v2.0/keys`) {
        this.jwksFetches += 1;
        const jwk = this.keys.publicKey.export({ format: 'jwk' });
        res.end(
          JSON.stringify({
            keys: [{ kty: 'RSA', use: 'sig', kid: this.kid, n: jwk.n, e: jwk.e }],
          }),
        );
      } else {
        res.statusCode = 404;
        res.end(JSON.stringify({ error: 'not_found' }));
      }
    });
    return this;
  }

  async stop(): Promise<void> {
    await this.listener?.close();
  }

  /** A v2.0 access token for the step-up app, as the token service hands it to the bot. */
  async mint(options: MintOptions): Promise<string> {
    const { SignJWT } = await import('jose');
    const now = Math.floor((options.nowMs ?? Date.now()) / 1000);
    const claims: Record<string, unknown> = {
      tid: options.tid ?? this.tenantId,
      oid: options.oid,
      sub: `sub-${options.oid}`,
      amr: options.amr ?? ['pwd', 'mfa'],
      auth_time: options.authTime ?? now,
      uti: options.uti ?? randomUUID().replace(/-/g, '').slice(0, 22),
      ver: '2.0',
      scp: 'StepUp.Prove',
    };
    if (options.acrs) claims['acrs'] = options.acrs;
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.kid })
      .setIssuer(options.iss ?? this.issuer)
      .setAudience(options.aud ?? this.audience)
      .setIssuedAt(now - 5)
      .setNotBefore(now - 5)
      .setExpirationTime(now + (options.expiresIn ?? 3600))
      .sign(options.signWith ?? this.keys.privateKey);
  }
}
