// The service app's private key, held so that it cannot slip into a log line, a card or a JSON
// dump by accident: JSON.stringify, util.inspect, template strings and String() all print a
// placeholder; only reveal() hands the key over, and only the SDK client gets it.
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { inspect } from 'node:util';

const PLACEHOLDER = '[Okta private key redacted]';

/** JWK members that hold private material (RFC 7518 §6.2.2 and §6.3.2). */
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi'];

export class OktaPrivateKey {
  readonly #text: string;

  constructor(
    text: string,
    /** 'pem' or 'jwk', as the file held it. */
    readonly format: 'pem' | 'jwk',
  ) {
    this.#text = text;
  }

  reveal(): string {
    return this.#text;
  }

  /**
   * Pieces of the key long enough to be recognised if some layer echoed part of it, in every
   * encoding the SDK or a library under it might print: the text as given, each base64 line of
   * its PKCS#8 and PKCS#1 PEM forms, and each private JWK member. The redactor removes them.
   */
  fragments(): string[] {
    const out = new Set<string>([this.#text, ...pemLines(this.#text)]);
    let key: KeyObject;
    try {
      key =
        this.format === 'jwk'
          ? createPrivateKey({ key: JSON.parse(this.#text) as JsonWebKeyInput, format: 'jwk' })
          : createPrivateKey(this.#text);
    } catch {
      return [...out];
    }
    for (const type of ['pkcs8', 'pkcs1'] as const) {
      try {
        pemLines(key.export({ type, format: 'pem' }).toString()).forEach((l) => out.add(l));
      } catch {
        // PKCS#1 exists for RSA keys only.
      }
    }
    const jwk = key.export({ format: 'jwk' }) as Record<string, unknown>;
    for (const member of PRIVATE_JWK_MEMBERS) {
      const value = jwk[member];
      if (typeof value === 'string' && value.length >= 8) out.add(value);
    }
    return [...out];
  }

  toJSON(): string {
    return PLACEHOLDER;
  }

  toString(): string {
    return PLACEHOLDER;
  }

  [inspect.custom](): string {
    return PLACEHOLDER;
  }
}

type JsonWebKeyInput = import('node:crypto').JsonWebKey;

function pemLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length >= 16 && !line.startsWith('-----'));
}
