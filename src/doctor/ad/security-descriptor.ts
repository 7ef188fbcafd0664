// Reads the DACL of a self-relative security descriptor ([MS-DTYP] 2.4.6) and answers one
// question: does it grant a set of SIDs a given control-access right (an "extended right" such as
// Reset Password)? ACEs are evaluated in order, as Windows does: the first ACE that matches one
// of the SIDs and covers the right decides, deny or allow.
import { sidFromBuffer } from '../../directory/ldap/security-identifier';

export const RESET_PASSWORD_RIGHT = '00299570-246d-11d0-a768-00aa006e0529';

const ACCESS_ALLOWED = 0x00;
const ACCESS_DENIED = 0x01;
const ACCESS_ALLOWED_OBJECT = 0x05;
const ACCESS_DENIED_OBJECT = 0x06;
const INHERIT_ONLY = 0x08;
const OBJECT_TYPE_PRESENT = 0x1;
const INHERITED_OBJECT_TYPE_PRESENT = 0x2;
const ADS_RIGHT_DS_CONTROL_ACCESS = 0x100;
const GENERIC_ALL = 0x10000000;

export interface Ace {
  type: number;
  flags: number;
  mask: number;
  /** Lower-case GUID the ACE is limited to, when it is an object ACE with one. */
  objectType?: string;
  sid: string;
}

export class MalformedSecurityDescriptorError extends Error {
  constructor(reason: string) {
    super(`Malformed security descriptor: ${reason}`);
    this.name = 'MalformedSecurityDescriptorError';
  }
}

export function readDacl(sd: Buffer): Ace[] {
  if (sd.length < 20) throw new MalformedSecurityDescriptorError('too short');
  const daclOffset = sd.readUInt32LE(16);
  if (daclOffset === 0) return [];
  if (daclOffset + 8 > sd.length) throw new MalformedSecurityDescriptorError('DACL out of range');
  const count = sd.readUInt16LE(daclOffset + 4);
  const aces: Ace[] = [];
  let at = daclOffset + 8;
  for (let i = 0; i < count; i++) {
    if (at + 4 > sd.length) throw new MalformedSecurityDescriptorError('ACE out of range');
    const type = sd.readUInt8(at);
    const flags = sd.readUInt8(at + 1);
    const size = sd.readUInt16LE(at + 2);
    if (size < 8 || at + size > sd.length) throw new MalformedSecurityDescriptorError('ACE size');
    const ace = sd.subarray(at, at + size);
    at += size;
    if (type === ACCESS_ALLOWED || type === ACCESS_DENIED) {
      aces.push({ type, flags, mask: ace.readUInt32LE(4), sid: readSid(ace, 8) });
    } else if (type === ACCESS_ALLOWED_OBJECT || type === ACCESS_DENIED_OBJECT) {
      const objectFlags = ace.readUInt32LE(8);
      let pos = 12;
      let objectType: string | undefined;
      if (objectFlags & OBJECT_TYPE_PRESENT) {
        objectType = guidFromBuffer(ace.subarray(pos, pos + 16));
        pos += 16;
      }
      if (objectFlags & INHERITED_OBJECT_TYPE_PRESENT) pos += 16;
      aces.push({
        type,
        flags,
        mask: ace.readUInt32LE(4),
        ...(objectType ? { objectType } : {}),
        sid: readSid(ace, pos),
      });
    }
    // Other ACE types (audit, callback, mandatory label) never grant access here.
  }
  return aces;
}

export type RightDecision = { granted: true; by: string } | { granted: false; deniedBy?: string };

/** Whether `sids` hold the control-access right `rightGuid` on the object this DACL protects. */
export function controlAccessRight(
  aces: readonly Ace[],
  sids: ReadonlySet<string>,
  rightGuid: string,
): RightDecision {
  const wanted = rightGuid.toLowerCase();
  for (const ace of aces) {
    // Inherit-only ACEs are there for children, not for this object.
    if (ace.flags & INHERIT_ONLY || !sids.has(ace.sid)) continue;
    if (!(ace.mask & (ADS_RIGHT_DS_CONTROL_ACCESS | GENERIC_ALL))) continue;
    const isObjectAce = ace.type === ACCESS_ALLOWED_OBJECT || ace.type === ACCESS_DENIED_OBJECT;
    if (isObjectAce && ace.objectType !== undefined && ace.objectType !== wanted) continue;
    if (ace.type === ACCESS_DENIED || ace.type === ACCESS_DENIED_OBJECT) {
      return { granted: false, deniedBy: ace.sid };
    }
    return { granted: true, by: ace.sid };
  }
  return { granted: false };
}

function readSid(ace: Buffer, at: number): string {
  if (at + 8 > ace.length) throw new MalformedSecurityDescriptorError('SID out of range');
  const count = ace.readUInt8(at + 1);
  return sidFromBuffer(ace.subarray(at, at + 8 + 4 * count));
}

/** GUIDs are stored with their first three fields little-endian. */
export function guidFromBuffer(b: Buffer): string {
  if (b.length !== 16) throw new MalformedSecurityDescriptorError('GUID size');
  const hex = (from: number, to: number): string => b.subarray(from, to).toString('hex');
  const le = (from: number, to: number): string =>
    Buffer.from(b.subarray(from, to)).reverse().toString('hex');
  return `${le(0, 4)}-${le(4, 6)}-${le(6, 8)}-${hex(8, 10)}-${hex(10, 16)}`;
}
