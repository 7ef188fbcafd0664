import { strict as assert } from 'node:assert';
import { randomInt } from 'node:crypto';
import {
  PASSWORD_ALPHABET,
  PASSWORD_CHARACTER_CLASSES,
  PASSWORD_LENGTH,
  encodeUnicodePwd,
  generateRandomPassword,
  hasEveryClass,
  namesToAvoid,
} from '../../../src/directory/ldap/random-password';

/** Pearson's chi-square of the character counts against a uniform distribution. */
function chiSquare(passwords: string[]): number {
  const counts = new Map<string, number>();
  let total = 0;
  for (const password of passwords) {
    for (const c of password) {
      counts.set(c, (counts.get(c) ?? 0) + 1);
      total++;
    }
  }
  const expected = total / PASSWORD_ALPHABET.length;
  let sum = 0;
  for (const c of PASSWORD_ALPHABET) sum += ((counts.get(c) ?? 0) - expected) ** 2 / expected;
  return sum;
}

// 86 degrees of freedom: mean 86, standard deviation ~13. 170 is beyond six standard
// deviations, so a fair generator fails this about never, and a modulo-biased one always.
const CHI_SQUARE_LIMIT = 170;

describe('generateRandomPassword', () => {
  it('is long and holds all four character classes', () => {
    for (let i = 0; i < 200; i++) {
      const password = generateRandomPassword();
      assert.equal(password.length, PASSWORD_LENGTH);
      assert.ok(PASSWORD_LENGTH >= 32);
      assert.ok(hasEveryClass(password), 'a generated password lacks a character class');
    }
  });

  it('uses only characters AD and unicodePwd quoting handle well', () => {
    assert.ok(!/["\\\s]/.test(PASSWORD_ALPHABET));
    assert.ok(/^[\x21-\x7e]+$/.test(PASSWORD_ALPHABET), 'printable ASCII only');
    assert.equal(new Set(PASSWORD_ALPHABET).size, PASSWORD_ALPHABET.length, 'no duplicates');
    for (const password of Array.from({ length: 50 }, () => generateRandomPassword())) {
      assert.ok([...password].every((c) => PASSWORD_ALPHABET.includes(c)));
    }
  });

  it('never repeats itself', () => {
    const seen = new Set(Array.from({ length: 2000 }, () => generateRandomPassword()));
    assert.equal(seen.size, 2000);
  });

  it('draws each character with a bounded uniform draw over the whole alphabet', () => {
    const bounds = new Set<number>();
    generateRandomPassword({
      randomIndex: (bound) => {
        bounds.add(bound);
        return randomInt(bound);
      },
    });
    // One bound, the alphabet size: the draw itself is uniform (crypto.randomInt rejects
    // out-of-range values); nothing reduces random bytes modulo the alphabet.
    assert.deepEqual([...bounds], [PASSWORD_ALPHABET.length]);
  });

  it('spreads characters uniformly (chi-square)', () => {
    const passwords = Array.from({ length: 3000 }, () => generateRandomPassword());
    const statistic = chiSquare(passwords);
    assert.ok(statistic < CHI_SQUARE_LIMIT, `chi-square ${statistic.toFixed(1)} too high`);
  });

  it('the chi-square check does catch a modulo-biased source', () => {
    const moduloOfAByte = (bound: number) => randomInt(256) % bound;
    const passwords = Array.from({ length: 3000 }, () =>
      generateRandomPassword({ randomIndex: moduloOfAByte }),
    );
    assert.ok(chiSquare(passwords) > CHI_SQUARE_LIMIT);
  });

  it('starts again rather than patching when a class is missing', () => {
    const lowerOnlyThenAll = sequence([
      ...Array.from({ length: 32 }, () => PASSWORD_ALPHABET.indexOf('a')),
      ...'Aa1!'.split('').map((c) => PASSWORD_ALPHABET.indexOf(c)),
      ...Array.from({ length: 28 }, () => PASSWORD_ALPHABET.indexOf('b')),
    ]);
    const password = generateRandomPassword({ length: 32, randomIndex: lowerOnlyThenAll });
    assert.equal(password, `Aa1!${'b'.repeat(28)}`);
  });

  it('avoids the names AD forbids, case-insensitively', () => {
    const first = 'Aa1!bob' + 'x'.repeat(25);
    const second = 'Aa1!' + 'x'.repeat(28);
    const draws = sequence([...first, ...second].map((c) => PASSWORD_ALPHABET.indexOf(c)));
    const password = generateRandomPassword({ length: 32, avoid: ['BOB'], randomIndex: draws });
    assert.equal(password, second);
  });

  it('refuses lengths under 32', () => {
    assert.throws(() => generateRandomPassword({ length: 31 }), RangeError);
  });

  it('lists the sAMAccountName and display name tokens of three characters or more', () => {
    assert.deepEqual(namesToAvoid('jdoe', 'Doe, Jo-Anne M. (QA)'), ['jdoe', 'Doe', 'Anne', '(QA)']);
    assert.deepEqual(namesToAvoid('ab'), []);
  });

  it('encodes unicodePwd as the quoted password in UTF-16LE', () => {
    assert.deepEqual(
      encodeUnicodePwd('Ab1!'),
      Buffer.from([34, 0, 65, 0, 98, 0, 49, 0, 33, 0, 34, 0]),
    );
  });

  it('has the four classes AD counts', () => {
    assert.deepEqual(Object.keys(PASSWORD_CHARACTER_CLASSES), [
      'upper',
      'lower',
      'digit',
      'symbol',
    ]);
  });
});

function sequence(values: number[]): (bound: number) => number {
  let i = 0;
  return () => {
    const value = values[i++];
    if (value === undefined || value < 0) throw new Error('test sequence exhausted');
    return value;
  };
}
