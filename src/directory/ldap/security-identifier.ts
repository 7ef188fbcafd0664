// Security identifiers (SIDs) in their string form (S-1-5-21-…) and the binary form AD stores in
// objectSid. Searching with the binary form works on every AD version and on Samba.
const SID_PATTERN = /^S-1-(\d+)((?:-\d+){1,15})$/i;
const MAX_AUTHORITY = 2 ** 48 - 1;
const MAX_SUB_AUTHORITY = 2 ** 32 - 1;

export function isSecurityIdentifier(value: string): boolean {
  return parseSid(value) !== undefined;
}

/** The binary objectSid of a string SID, or undefined when the string is not a SID. */
export function sidToBuffer(sid: string): Buffer | undefined {
  const parsed = parseSid(sid);
  if (!parsed) return undefined;
  const buffer = Buffer.alloc(8 + 4 * parsed.subAuthorities.length);
  buffer.writeUInt8(1, 0);
  buffer.writeUInt8(parsed.subAuthorities.length, 1);
  buffer.writeUIntBE(parsed.authority, 2, 6);
  parsed.subAuthorities.forEach((value, i) => buffer.writeUInt32LE(value, 8 + 4 * i));
  return buffer;
}

export function sidFromBuffer(buffer: Buffer): string {
  if (buffer.length < 8 || buffer.readUInt8(0) !== 1) throw new Error('not a binary SID');
  const count = buffer.readUInt8(1);
  if (buffer.length !== 8 + 4 * count) throw new Error('not a binary SID');
  const parts = [`S-1-${buffer.readUIntBE(2, 6)}`];
  for (let i = 0; i < count; i++) parts.push(String(buffer.readUInt32LE(8 + 4 * i)));
  return parts.join('-');
}

function parseSid(sid: string): { authority: number; subAuthorities: number[] } | undefined {
  const match = SID_PATTERN.exec(sid.trim());
  if (!match?.[1] || !match[2]) return undefined;
  const authority = Number(match[1]);
  const subAuthorities = match[2].slice(1).split('-').map(Number);
  if (authority > MAX_AUTHORITY || subAuthorities.some((v) => v > MAX_SUB_AUTHORITY)) {
    return undefined;
  }
  return { authority, subAuthorities };
}
