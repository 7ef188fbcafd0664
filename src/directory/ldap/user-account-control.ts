// userAccountControl flags Revoke reads or sets (MS-ADTS 2.2.16).
export const ACCOUNTDISABLE = 0x2;
export const NORMAL_ACCOUNT = 0x200;
export const DONT_EXPIRE_PASSWORD = 0x10000;

export function isDisabled(userAccountControl: number): boolean {
  return (userAccountControl & ACCOUNTDISABLE) !== 0;
}

export function withDisabledBit(userAccountControl: number): number {
  return (userAccountControl | ACCOUNTDISABLE) >>> 0;
}

export function withoutDisabledBit(userAccountControl: number): number {
  return (userAccountControl & ~ACCOUNTDISABLE) >>> 0;
}
