// "What may still work" after a run, computed from the saved request alone: each access path says
// what can still be used, until when, what Revoke did about it and what an administrator can still
// do. Every claim rests on a step of this run (its status, its recorded facts and times) or on a
// documented default the deployment configured (token and ticket lifetimes); nothing is guessed.
import type { ResidualLifetimes, RevocationRequest } from '../model';
import type { RegisteredPath, ResidualLine } from '../paths/access-path';
import { ACCESS_PATHS } from '../paths/registry';
import { clock } from '../paths/residual-helpers';

export type { ResidualLine } from '../paths/access-path';

const FALLBACK_LIFETIMES: ResidualLifetimes = { accessTokenMinutes: 60, kerberosTicketHours: 10 };

/** After every path's lines: the checklist is the request's, not a path's. */
const CHECKLIST_RANK = Number.MAX_SAFE_INTEGER;

export function residualAccess(
  request: RevocationRequest,
  paths: readonly RegisteredPath[] = ACCESS_PATHS,
): ResidualLine[] {
  if ((request.kind ?? 'revocation') !== 'revocation') return [];
  const lifetimes = request.lifetimes ?? FALLBACK_LIFETIMES;
  const ranked: Array<{ rank: number; line: ResidualLine }> = [];
  for (const path of paths) {
    const report = path.residual;
    if (!report) continue;
    for (const line of report.lines(request, lifetimes)) ranked.push({ rank: report.rank, line });
  }
  const tasks = manualTasksLine(request);
  if (tasks) ranked.push({ rank: CHECKLIST_RANK, line: tasks });
  // Array.prototype.sort is stable: one path's lines keep their own order.
  return ranked.sort((a, b) => a.rank - b.rank).map((r) => r.line);
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
