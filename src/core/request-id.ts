import { randomInt } from 'node:crypto';

// Crockford's base32: no I, L, O or U, so an id read aloud on a bridge call or typed from a phone
// cannot be mistaken for another. 8 characters = 40 bits; the store refuses a duplicate anyway.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function newId(prefix: string): string {
  let id = `${prefix}-`;
  for (let i = 0; i < 8; i++) id += ALPHABET[randomInt(ALPHABET.length)];
  return id;
}

/** A request id, like R-7K3Q9MXA. */
export function newRequestId(): string {
  return newId('R');
}

/** A mass-revocation batch id, like B-7K3Q9MXA. */
export function newBatchId(): string {
  return newId('B');
}

/** This process's batch service, named on the batch loads it saves (I-7K3Q9MXA). */
export function newInstanceId(): string {
  return newId('I');
}
