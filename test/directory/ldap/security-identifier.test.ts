import { strict as assert } from 'node:assert';
import {
  isSecurityIdentifier,
  sidFromBuffer,
  sidToBuffer,
} from '../../../src/directory/ldap/security-identifier';

describe('security identifiers', () => {
  const sid = 'S-1-5-21-3623811015-3361044348-30300820-1013';

  it('round-trips between the string and the binary objectSid', () => {
    const binary = sidToBuffer(sid);
    assert.ok(binary);
    assert.equal(binary.length, 8 + 4 * 5);
    assert.equal(sidFromBuffer(binary), sid);
  });

  it('encodes the authority big-endian and sub-authorities little-endian', () => {
    assert.deepEqual(
      sidToBuffer('S-1-5-32-548'),
      Buffer.from([1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x24, 0x02, 0, 0]),
    );
  });

  it('rejects what is not a SID', () => {
    for (const value of ['', 'S-1', 'S-1-5', '*', 'S-1-5-21-*', 'S-1-5-4294967296', 'x S-1-5-18']) {
      assert.equal(isSecurityIdentifier(value), false, value);
      assert.equal(sidToBuffer(value), undefined);
    }
    assert.throws(() => sidFromBuffer(Buffer.from([2, 0])));
  });
});
