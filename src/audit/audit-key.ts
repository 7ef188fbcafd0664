// The key that makes the audit chain tamper-evident against someone who can write the database.
// A plain hash chain can be recomputed by anyone after an edit; an HMAC chain only by whoever
// holds the key, and the key is never stored in the database (AUDIT_KEY comes from the
// environment, in production from Key Vault).
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { inspect } from 'node:util';

/** At least as many random bytes as the HMAC-SHA-256 output: anything shorter weakens it. */
export const MIN_KEY_BYTES = 32;

/**
 * One audit key. The bytes are private and the object prints and serialises as its id only, so
 * a key that ends up in a log entry or a JSON dump by mistake still does not leak.
 */
export class AuditKey {
  /** Names the key in every record it signs: not secret, derived so that it reveals nothing. */
  readonly id: string;
  readonly #bytes: Buffer;

  constructor(bytes: Buffer) {
    if (bytes.length < MIN_KEY_BYTES) {
      throw new Error(`an audit key needs at least ${MIN_KEY_BYTES} bytes`);
    }
    this.#bytes = Buffer.from(bytes);
    this.id = createHmac('sha256', this.#bytes)
      .update('revoke audit key id')
      .digest('hex')
      .slice(0, 16);
  }

  /** HMAC-SHA-256 of `text` under this key, as hex. */
  mac(text: string): string {
    return createHmac('sha256', this.#bytes).update(text).digest('hex');
  }

  toJSON(): { id: string } {
    return { id: this.id };
  }

  toString(): string {
    return `AuditKey(${this.id})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/** The key new records are written with, and the retired ones still accepted by verify. */
export class AuditKeyring {
  readonly current: AuditKey;
  readonly #all: ReadonlyMap<string, AuditKey>;

  constructor(current: AuditKey, previous: readonly AuditKey[] = []) {
    this.current = current;
    this.#all = new Map([...previous, current].map((key) => [key.id, key]));
  }

  byId(id: string): AuditKey | undefined {
    return this.#all.get(id);
  }

  toJSON(): { current: string; known: string[] } {
    return { current: this.current.id, known: [...this.#all.keys()] };
  }

  [inspect.custom](): string {
    return `AuditKeyring(${this.current.id})`;
  }
}

/**
 * Reads a key written as base64 (what `openssl rand -base64 32` prints) or hex. Answers the
 * bytes, or a reason that names the variable but never repeats its value.
 */
export function parseAuditKey(name: string, text: string): AuditKey | { problem: string } {
  const value = text.trim();
  let bytes: Buffer | undefined;
  if (/^(?:[0-9a-fA-F]{2})+$/.test(value)) bytes = Buffer.from(value, 'hex');
  else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(value) && value.length % 4 !== 1) {
    bytes = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  }
  if (bytes === undefined) {
    return {
      problem: `${name} must be base64 or hex (for example the output of \`openssl rand -base64 32\`).`,
    };
  }
  if (bytes.length < MIN_KEY_BYTES) {
    return {
      problem: `${name} must hold at least ${MIN_KEY_BYTES} random bytes (it holds ${bytes.length}); create one with \`openssl rand -base64 32\`.`,
    };
  }
  if (lowEntropy(bytes)) {
    return {
      problem: `${name} is not random (too few distinct bytes); create one with \`openssl rand -base64 32\`.`,
    };
  }
  return new AuditKey(bytes);
}

/**
 * A cheap guard against placeholders ("0000…", a repeated word): 32 random bytes have about 30
 * distinct values, a typed pattern a handful.
 */
function lowEntropy(bytes: Buffer): boolean {
  return new Set(bytes).size < Math.min(16, bytes.length / 2);
}

/** Constant-time comparison of two hex digests. */
export function sameDigest(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Plain SHA-256, for the records written before the chain had a key. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
