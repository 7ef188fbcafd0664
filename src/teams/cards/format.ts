// Times and durations as the card shows them. Everything is UTC with an explicit "UTC": the
// people reading the card are spread over time zones and the card cannot know theirs.

const MINUTE_MS = 60_000;

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function sameUtcDay(a: Date, b: Date): boolean {
  return (
    a.getUTCFullYear() === b.getUTCFullYear() &&
    a.getUTCMonth() === b.getUTCMonth() &&
    a.getUTCDate() === b.getUTCDate()
  );
}

export function utcDate(at: Date): string {
  return `${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}`;
}

/** "10:04 UTC" on the day the card is rendered, "2025-03-01 10:04 UTC" on any other day. */
export function utcTime(iso: string, now: Date): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return 'unknown time';
  const clock = `${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())} UTC`;
  return sameUtcDay(at, now) ? clock : `${utcDate(at)} ${clock}`;
}

/** "2025-03-01 10:04 UTC", always with the date, for times that anchor the request. */
export function utcDateTime(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return 'unknown time';
  return `${utcDate(at)} ${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())} UTC`;
}

/** How long until `iso`: "in 55 min", "in 1 h 5 min", "in less than a minute". */
export function timeUntil(iso: string, now: Date): string {
  const ms = new Date(iso).getTime() - now.getTime();
  if (Number.isNaN(ms)) return 'at an unknown time';
  if (ms <= 0) return 'now';
  const minutes = Math.floor(ms / MINUTE_MS);
  if (minutes < 1) return 'in less than a minute';
  if (minutes < 60) return `in ${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `in ${hours} h` : `in ${hours} h ${rest} min`;
}

/** Elapsed time between two instants: "0.4 s", "1.2 s", "45 s", "2 min 5 s". */
export function elapsed(startIso: string, endIso: string): string | undefined {
  const ms = new Date(endIso).getTime() - new Date(startIso).getTime();
  if (Number.isNaN(ms) || ms < 0) return undefined;
  const seconds = ms / 1000;
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const whole = Math.round(seconds);
  const min = Math.floor(whole / 60);
  const sec = whole % 60;
  return sec === 0 ? `${min} min` : `${min} min ${sec} s`;
}
