// What one doctor check found. A failed check always says how to fix it: the doctor exists so an
// administrator does not have to discover a missing permission in the middle of an emergency.

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface CheckResult {
  /** Short name of what was checked, e.g. "Entra ID token". */
  name: string;
  status: CheckStatus;
  /** What was found, in one sentence. Never a secret or a token. */
  detail: string;
  /** For `fail` (and some `warn`): what to change. */
  fix?: string;
}

export const ok = (name: string, detail: string): CheckResult => ({ name, status: 'ok', detail });

export const warn = (name: string, detail: string, fix?: string): CheckResult => ({
  name,
  status: 'warn',
  detail,
  ...(fix ? { fix } : {}),
});

export const fail = (name: string, detail: string, fix: string): CheckResult => ({
  name,
  status: 'fail',
  detail,
  fix,
});
