// "What may still work" after a run, computed from the saved request alone: each line says what
// can still be used, until when, what Revoke did about it and what an administrator can still do.
// Every claim rests on a step of this run (its status, its recorded facts and times) or on a
// documented default the deployment configured (token and ticket lifetimes); nothing is guessed.
import type { ResidualLifetimes, RevocationRequest, Step, StepKind } from '../model';

export interface ResidualLine {
  what: string;
  until: string;
  revokeDid: string;
  adminCan: string;
}

const FALLBACK_LIFETIMES: ResidualLifetimes = { accessTokenMinutes: 60, kerberosTicketHours: 10 };

export function residualAccess(request: RevocationRequest): ResidualLine[] {
  if ((request.kind ?? 'revocation') !== 'revocation') return [];
  const lifetimes = request.lifetimes ?? FALLBACK_LIFETIMES;
  const lines = [tokenLine(request, lifetimes), cookieLine(request), deviceLine(request)];
  const kerberos = kerberosLine(request, lifetimes);
  if (kerberos) lines.push(kerberos);
  const methods = olderMethodsLine(request);
  if (methods) lines.push(methods);
  const tasks = manualTasksLine(request);
  if (tasks) lines.push(tasks);
  return lines;
}

function tokenLine(request: RevocationRequest, lifetimes: ResidualLifetimes): ResidualLine {
  const revoke = only(request, 'entra.revokeSessions');
  const disabled = succeeded(only(request, 'entra.disableAccount'));
  const what = 'Access tokens already issued, in apps without Continuous Access Evaluation';
  if (!revoke || revoke.status !== 'succeeded') {
    return {
      what: 'Refresh tokens and sign-in sessions',
      until: 'not revoked: usable until they expire or are revoked',
      revokeDid: revoke
        ? `the revocation step ${revoke.status === 'failed' ? `failed (${revoke.error?.message ?? 'no reason recorded'})` : 'did not run'}`
        : 'no session revocation in this plan',
      adminCan:
        'retry the failed steps from the card, or revoke sessions in the Entra admin center',
    };
  }
  if (revoke.verification?.state === 'unverifiable') {
    const at = revoke.finishedAt ?? '';
    return {
      what: 'Refresh tokens and sign-in sessions',
      until: `revoked only if Entra ID acted on the request accepted at ${clock(at)}: not verified (${revoke.verification.why})`,
      revokeDid: `asked Entra ID to revoke refresh tokens and sessions; it accepted${disabled ? '; disabled the account, so no new token is issued' : ''}`,
      adminCan: `check in Entra ID that the user's signInSessionsValidFromDateTime is at or after ${clock(at)}, or revoke sessions again in the Entra admin center`,
    };
  }
  const at = fact(revoke, 'validFrom') ?? revoke.finishedAt ?? '';
  const until = addMinutes(at, lifetimes.accessTokenMinutes);
  const did = [`revoked refresh tokens and sessions at ${clock(at)} (read back)`];
  if (disabled) did.push('disabled the account, so no new token is issued');
  if (succeeded(only(request, 'entra.confirmCompromised')))
    did.push('confirmed the user compromised (user risk high, a CAE critical event)');
  return {
    what,
    until: `until at most ${clock(until)} (${lifetimes.accessTokenMinutes} min after the revocation at ${clock(at)})`,
    revokeDid: did.join('; '),
    adminCan:
      'nothing shortens them; apps with Continuous Access Evaluation (Exchange, SharePoint, Teams) honour the disable and the revocation within minutes',
  };
}

function cookieLine(request: RevocationRequest): ResidualLine {
  const disabled = succeeded(only(request, 'entra.disableAccount'));
  const consented = request.steps
    .filter((s) => s.kind === 'entra.removeOAuthGrant' && s.status === 'succeeded')
    .map((s) => s.subject?.name ?? s.id);
  const known =
    consented.length > 0
      ? `; known apps of this user (consent removed): ${consented.join(', ')}`
      : '';
  const apps = request.steps.filter(
    (s) => s.kind === 'app.provisionOnDemand' || s.kind === 'app.scimDeactivate',
  );
  // Only a read-back counts as deprovisioned; "no account found" and "accepted" are named apart.
  const deprovisioned = apps
    .filter(confirmed)
    .map((s) => `${appName(s)} (${clock(s.finishedAt ?? '')})`);
  const unconfirmed = apps
    .filter((s) => succeeded(s) && s.verification?.state === 'unverifiable')
    .map(appName);
  const noAccount = apps
    .filter((s) => succeeded(s) && s.verification?.state === 'no_account')
    .map(appName);
  const notDeprovisioned = apps.filter((s) => !succeeded(s)).map(appName);
  const appParts = [
    deprovisioned.length > 0 ? `; deprovisioned from ${deprovisioned.join(', ')}` : '',
    unconfirmed.length > 0 ? `; asked, but not confirmed, in ${unconfirmed.join(', ')}` : '',
    noAccount.length > 0 ? `; found no account to deprovision in ${noAccount.join(', ')}` : '',
    notDeprovisioned.length > 0 ? `; NOT deprovisioned from ${notDeprovisioned.join(', ')}` : '',
  ].join('');
  const toCheck = [...notDeprovisioned, ...unconfirmed, ...noAccount];
  return {
    what: 'Apps that keep their own session cookie after sign-in',
    until:
      toCheck.length === 0 && apps.length > 0
        ? 'in the configured apps, until each app acts on the deprovisioning; elsewhere, until the user is deprovisioned in each app, or its session ends'
        : 'until the user is deprovisioned in each app, or its session ends',
    revokeDid: disabled
      ? `disabled the account, so no new sign-in through Entra ID${known}${appParts}`
      : `the account was not disabled: new sign-ins still work${known}${appParts}`,
    adminCan: adminForApps(notDeprovisioned, [...unconfirmed, ...noAccount]),
  };
}

function adminForApps(failed: readonly string[], unchecked: readonly string[]): string {
  const parts: string[] = [];
  if (failed.length > 0)
    parts.push(`retry the failed steps, or deprovision the user by hand in ${failed.join(', ')}`);
  if (unchecked.length > 0)
    parts.push(`check by hand that the user has no active account in ${unchecked.join(', ')}`);
  if (parts.length === 0)
    return "end the user's sessions or deprovision them in each app that keeps its own session";
  return `${parts.join('; ')}; end their sessions in every other app that keeps its own`;
}

function appName(step: Step): string {
  return step.subject?.name ?? step.id;
}

function manualTasksLine(request: RevocationRequest): ResidualLine | undefined {
  const tasks = request.manualTasks ?? [];
  if (tasks.length === 0) return undefined;
  const open = tasks.filter((t) => !t.doneBy).map((t) => t.title);
  const done = tasks
    .filter((t) => t.doneBy)
    .map((t) => `${t.title} (${t.doneBy?.name ?? 'someone'}, ${clock(t.doneAt ?? '')})`);
  return {
    what: 'Access Revoke cannot remove itself (the manual checklist)',
    until: open.length > 0 ? `open: ${open.join(', ')}` : 'every task is ticked off',
    revokeDid:
      done.length > 0 ? `recorded as done: ${done.join(', ')}` : 'nothing is ticked off yet',
    adminCan:
      open.length > 0
        ? 'do the open tasks and tick each off on this card'
        : 'nothing more on the checklist',
  };
}

function deviceLine(request: RevocationRequest): ResidualLine {
  const registered = request.steps.filter((s) => s.kind === 'entra.disableDevice');
  const retire = request.steps.filter((s) => s.kind === 'intune.retireDevice');
  const did = [
    `disabled ${registered.filter(succeeded).length} of ${registered.length} registered device(s) in Entra ID`,
  ];
  if (retire.length > 0) {
    const done = retire.filter(succeeded).map((s) => s.subject?.name ?? s.id);
    const notDone = retire.filter((s) => !succeeded(s)).map((s) => s.subject?.name ?? s.id);
    did.push(`Intune retire issued for ${done.length > 0 ? done.join(', ') : 'none'}`);
    if (notDone.length > 0) did.push(`not retired: ${notDone.join(', ')}`);
  } else {
    did.push('no Intune retire was asked for');
  }
  return {
    what: `Data already on the user's devices, above all offline ones (${request.target.deviceCount} registered)`,
    until:
      'until the device is wiped; a retire happens only when the device next checks in, and an offline Windows device may still be unlocked with cached credentials',
    revokeDid: did.join('; '),
    adminCan: 'wipe the devices in Intune (the data on them cannot be recovered), or collect them',
  };
}

function kerberosLine(
  request: RevocationRequest,
  lifetimes: ResidualLifetimes,
): ResidualLine | undefined {
  if (!request.target.onPremisesSynced) return undefined;
  const disable = only(request, 'ad.disableAccount');
  const what = 'Kerberos tickets already issued on-premises';
  const adminCan =
    'log the user off and purge their tickets (`klist purge`) on the machines they used, or restart those machines';
  if (!disable) {
    return {
      what: 'On-premises AD access',
      until: 'unchanged: Revoke has no AD connection here',
      revokeDid: 'nothing on-premises',
      adminCan:
        'disable the account in AD now, or the next directory sync may re-enable the cloud account',
    };
  }
  if (!succeeded(disable)) {
    return {
      what: 'On-premises AD access',
      until: 'unchanged: the AD account was not disabled',
      revokeDid: `the AD disable ${disable.status === 'failed' ? 'failed' : 'did not run'}`,
      adminCan: 'retry the failed steps, or disable the account in AD',
    };
  }
  const at = disable.finishedAt ?? '';
  const reset = succeeded(only(request, 'ad.resetPasswordTwice'));
  return {
    what,
    until: `until they expire: at most ${clock(addMinutes(at, lifetimes.kerberosTicketHours * 60))} (${lifetimes.kerberosTicketHours} h after the AD disable at ${clock(at)})`,
    revokeDid: `disabled the AD account${reset ? ' and reset its password twice' : ''}, so no new ticket is issued`,
    adminCan,
  };
}

function olderMethodsLine(request: RevocationRequest): ResidualLine | undefined {
  if (request.profile !== 'compromised') return undefined;
  const removed = request.steps.filter((s) => s.kind === 'entra.removeAuthMethod' && succeeded(s));
  return {
    what: 'MFA methods registered before the recent window',
    until: 'kept; they matter again only if the account is re-enabled',
    revokeDid: `removed ${removed.length} recently registered method(s)`,
    adminCan: 'review the remaining methods before any restore',
  };
}

function only(request: RevocationRequest, kind: StepKind): Step | undefined {
  return request.steps.find((s) => s.kind === kind);
}

function succeeded(step: Step | undefined): boolean {
  return step?.status === 'succeeded';
}

/** Succeeded and read back (steps saved before verification was recorded count as they did). */
function confirmed(step: Step | undefined): boolean {
  const state = step?.verification?.state;
  return succeeded(step) && state !== 'unverifiable' && state !== 'no_account';
}

function fact(step: Step, key: string): string | undefined {
  const value = step.facts?.[key];
  return typeof value === 'string' ? value : undefined;
}

function addMinutes(iso: string, minutes: number): string {
  const at = Date.parse(iso);
  return Number.isNaN(at) ? '' : new Date(at + minutes * 60_000).toISOString();
}

/** "2026-03-02 10:05 UTC": the date too, since a ticket's end may fall on the next day. */
function clock(iso: string): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return 'an unrecorded time';
  return `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
