// The service app's private key, held so that it cannot slip into a log line, a card or a JSON
// dump by accident: JSON.stringify, util.inspect, template strings and String() all print a
// placeholder; only reveal() hands the key over, and only the SDK client gets it.
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
   * Pieces of the key long enough to be recognised if some layer echoed part of it: the whole
   * text, each base64 line of a PEM body and each private JWK member. The redactor removes them.
   */
  fragments(): string[] {
    const out = [this.#text];
    if (this.format === 'pem') {
      for (const line of this.#text.split(/\r?\n/)) {
        const trimmed = line.trim();
        if (trimmed.length >= 16 && !trimmed.startsWith('-----')) out.push(trimmed);
      }
    } else {
      try {
        const jwk = JSON.parse(this.#text) as Record<string, unknown>;
        for (const member of PRIVATE_JWK_MEMBERS) {
          const value = jwk[member];
          if (typeof value === 'string' && value.length >= 8) out.push(value);
        }
      } catch {
        // Not JSON after all: the whole text is already in the list.
      }
    }
    return out;
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
