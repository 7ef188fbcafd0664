// The manual deprovisioning checklist: what Revoke cannot do itself (a payroll system, a VPN
// certificate), shown on the card once the request is approved and ticked off by approvers. A tick
// is recorded once, with who and when; a second click changes nothing and says who ticked it.
import type { ManualTask, Person, RevocationRequest } from './model';

export type TaskDecision =
  | { ok: true; request: RevocationRequest; task: ManualTask }
  | { ok: false; code: TaskRefusal; message: string };

export type TaskRefusal = 'unknown_task' | 'not_authorised' | 'not_approved' | 'already_done';

export function decideTaskDone(
  request: RevocationRequest,
  taskId: string,
  person: Person,
  isApprover: boolean,
  now: Date,
): TaskDecision {
  const task = (request.manualTasks ?? []).find((t) => t.id === taskId);
  if (!task)
    return { ok: false, code: 'unknown_task', message: `Request ${request.id} has no such task.` };
  if (task.doneBy) {
    return {
      ok: false,
      code: 'already_done',
      message: `"${task.title}" is already done (ticked by ${task.doneBy.name} at ${task.doneAt ?? 'an unrecorded time'}).`,
    };
  }
  // Before approval nothing has been revoked: ticking a task then would record a false claim.
  if (request.status === 'pending' || request.status === 'rejected' || request.status === 'expired')
    return {
      ok: false,
      code: 'not_approved',
      message: 'The checklist opens once the request is approved.',
    };
  if (!isApprover)
    return {
      ok: false,
      code: 'not_authorised',
      message: 'Only members of the approver group can tick off a task.',
    };
  const done: ManualTask = { ...task, doneBy: person, doneAt: now.toISOString() };
  return {
    ok: true,
    task: done,
    request: {
      ...request,
      manualTasks: (request.manualTasks ?? []).map((t) => (t.id === taskId ? done : t)),
    },
  };
}

/** The checklist copied onto a revocation from the configuration (MANUAL_DEPROVISION_TASKS). */
export function manualTasks(titles: readonly string[]): ManualTask[] {
  return titles.map((title, index) => ({ id: `task-${index + 1}`, title }));
}
