// Windows FILETIME: 100-nanosecond ticks since 1601-01-01T00:00:00Z, which is how AD stores
// pwdLastSet. Kept as BigInt because the values exceed Number's exact range.
const TICKS_PER_MS = 10_000n;
const EPOCH_OFFSET_TICKS = 116_444_736_000_000_000n;

export function toFileTime(date: Date): string {
  return (BigInt(date.getTime()) * TICKS_PER_MS + EPOCH_OFFSET_TICKS).toString();
}

export function fromFileTime(fileTime: string): Date {
  return new Date(Number((BigInt(fileTime) - EPOCH_OFFSET_TICKS) / TICKS_PER_MS));
}
