// The doctor's pure parts: the DACL reader, permission coverage, the token's roles, the report.
import { strict as assert } from 'node:assert';
import {
  controlAccessRight,
  guidFromBuffer,
  readDacl,
  RESET_PASSWORD_RIGHT,
} from '../../src/doctor/ad/security-descriptor';
import { rolesOfToken } from '../../src/doctor/jwt-claims';
import { coverage } from '../../src/doctor/required-permissions';
import { exitCode, formatResult } from '../../src/doctor/report';
import { fail, ok, warn } from '../../src/doctor/check-result';
import { sidToBuffer } from '../../src/directory/ldap/security-identifier';

function guidBuffer(guid: string): Buffer {
  const hex = guid.replace(/-/g, '');
  const b = Buffer.from(hex, 'hex');
  b.subarray(0, 4).reverse();
  b.subarray(4, 6).reverse();
  b.subarray(6, 8).reverse();
  return b;
}

function ace(type: number, flags: number, mask: number, sid: string, objectType?: string): Buffer {
  const sidBytes = sidToBuffer(sid) as Buffer;
  const isObject = type === 5 || type === 6;
  const body = isObject
    ? Buffer.concat([
        u32(mask),
        u32(objectType ? 1 : 0),
        ...(objectType ? [guidBuffer(objectType)] : []),
        sidBytes,
      ])
    : Buffer.concat([u32(mask), sidBytes]);
  const header = Buffer.alloc(4);
  header.writeUInt8(type, 0);
  header.writeUInt8(flags, 1);
  header.writeUInt16LE(4 + body.length, 2);
  return Buffer.concat([header, body]);
}

function u32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(value >>> 0, 0);
  return b;
}

function descriptor(aces: Buffer[]): Buffer {
  const list = Buffer.concat(aces);
  const acl = Buffer.alloc(8);
  acl.writeUInt8(4, 0);
  acl.writeUInt16LE(8 + list.length, 2);
  acl.writeUInt16LE(aces.length, 4);
  const head = Buffer.alloc(20);
  head.writeUInt8(1, 0);
  head.writeUInt16LE(0x8004, 2); // self-relative, DACL present
  head.writeUInt32LE(20, 16);
  return Buffer.concat([head, acl, list]);
}

const BIND = 'S-1-5-21-1-2-3-1105';
const HELPDESK = 'S-1-5-21-1-2-3-1200';
const OTHER_RIGHT = 'ab721a53-1e2f-11d0-9819-00aa0040529b'; // Change Password

describe('doctor: reading a DACL for the Reset Password right', () => {
  it('round-trips GUIDs in their mixed-endian form', () => {
    assert.equal(guidFromBuffer(guidBuffer(RESET_PASSWORD_RIGHT)), RESET_PASSWORD_RIGHT);
  });

  it('grants through an object ACE for the right, to a group of the bind account', () => {
    const aces = readDacl(descriptor([ace(5, 0x10, 0x100, HELPDESK, RESET_PASSWORD_RIGHT)]));
    assert.deepEqual(controlAccessRight(aces, new Set([BIND, HELPDESK]), RESET_PASSWORD_RIGHT), {
      granted: true,
      by: HELPDESK,
    });
  });

  it('ignores another extended right, another trustee and inherit-only ACEs', () => {
    const aces = readDacl(
      descriptor([
        ace(5, 0, 0x100, BIND, OTHER_RIGHT),
        ace(5, 0, 0x100, 'S-1-5-21-9-9-9-500', RESET_PASSWORD_RIGHT),
        ace(5, 0x08 | 0x02, 0x100, BIND, RESET_PASSWORD_RIGHT),
      ]),
    );
    assert.deepEqual(controlAccessRight(aces, new Set([BIND]), RESET_PASSWORD_RIGHT), {
      granted: false,
    });
  });

  it('lets a deny that comes first win over a later allow, and a plain ACE with CR grant all rights', () => {
    const sids = new Set([BIND, HELPDESK]);
    const denied = readDacl(
      descriptor([ace(6, 0, 0x100, BIND, RESET_PASSWORD_RIGHT), ace(0, 0, 0xf01ff, HELPDESK)]),
    );
    assert.deepEqual(controlAccessRight(denied, sids, RESET_PASSWORD_RIGHT), {
      granted: false,
      deniedBy: BIND,
    });
    const full = readDacl(descriptor([ace(0, 0, 0xf01ff, HELPDESK)]));
    assert.equal(controlAccessRight(full, sids, RESET_PASSWORD_RIGHT).granted, true);
  });
});

describe('doctor: permission coverage, token roles, report', () => {
  it('accepts broader permissions and names what is missing', () => {
    const found = coverage(
      ['User.Read.All', 'User.RevokeSessions.All', 'Device.ReadWrite.All'],
      ['Directory.Read.All', 'User.RevokeSessions.All'],
    );
    assert.deepEqual(found.exact, ['User.RevokeSessions.All']);
    assert.equal(found.broader.get('User.Read.All'), 'Directory.Read.All');
    assert.deepEqual(found.missing, ['Device.ReadWrite.All']);
  });

  it('reads roles from an unsigned JWT payload', async () => {
    const payload = Buffer.from(JSON.stringify({ roles: ['User.Read.All', 7] })).toString(
      'base64url',
    );
    assert.deepEqual(await rolesOfToken(`e30.${payload}.sig`), ['User.Read.All']);
    assert.deepEqual(await rolesOfToken(`e30.${Buffer.from('{}').toString('base64url')}.x`), []);
    await assert.rejects(rolesOfToken('not-a-jwt'), /not a JWT/);
  });

  it('prints ✓, ! and ✗ with the fix under a failure, and exits 1 only on a failure', () => {
    assert.equal(formatResult(ok('A', 'fine')), '✓ A: fine');
    assert.equal(formatResult(warn('B', 'hmm')), '! B: hmm');
    assert.equal(formatResult(fail('C', 'broken', 'do this')), '✗ C: broken\n    fix: do this');
    assert.equal(exitCode([ok('A', ''), warn('B', '')]), 0);
    assert.equal(exitCode([ok('A', ''), fail('C', '', '')]), 1);
  });
});
