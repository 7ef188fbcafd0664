// A local stand-in for the Bot Framework's token issuer: it serves an OpenID configuration and a
// JWKS (with the "msteams" endorsement, as login.botframework.com does) and signs channel tokens
// with the matching RSA key, so a test can send /api/messages exactly what Azure Bot Service sends.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSign, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';

export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';

export interface ChannelTokenOptions {
  appId: string;
  serviceUrl: string;
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
  issuer?: string;
  /** Sign with a key the JWKS does not hold (same kid): a forged signature. */
  signWith?: KeyObject;
}

export class BotFrameworkIssuer {
  readonly kid = randomUUID();
  private readonly keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  private server: Server | undefined;
  metadataUrl = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const origin = `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
      res.setHeader('content-type', 'application/json');
      if (req.url === '/v1/.well-known/openidconfiguration') {
        res.end(
          JSON.stringify({
            issuer: BOT_FRAMEWORK_ISSUER,
            jwks_uri: `${origin}/v1/.well-known/keys`,
            id_token_signing_alg_values_supported: ['RS256'],
          }),
        );
      } else if (req.url === '/v1/.well-known/keys') {
        const jwk = this.keys.publicKey.export({ format: 'jwk' });
        res.end(
          JSON.stringify({
            keys: [
              {
                kty: 'RSA',
                use: 'sig',
                kid: this.kid,
                n: jwk.n,
                e: jwk.e,
                endorsements: ['msteams'],
              },
            ],
          }),
        );
      } else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.metadataUrl = `http://127.0.0.1:${port}/v1/.well-known/openidconfiguration`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }

  /** A channel-to-bot token as Azure Bot Service signs it. */
  channelToken(options: ChannelTokenOptions): string {
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: 'RS256', typ: 'JWT', kid: this.kid };
    const payload = {
      iss: options.issuer ?? BOT_FRAMEWORK_ISSUER,
      aud: options.appId,
      nbf: now - 60,
      iat: now - 60,
      exp: now + (options.expiresIn ?? 3600),
      serviceurl: options.serviceUrl,
    };
    const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
    const input = `${encode(header)}.${encode(payload)}`;
    const signature = createSign('RSA-SHA256')
      .update(input)
      .sign(options.signWith ?? this.keys.privateKey)
      .toString('base64url');
    return `${input}.${signature}`;
  }
}

/** A private key the issuer never published. */
export function strangerKey(): KeyObject {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
}
