// Ticking off an item of a request's manual checklist.
import { RequestRefused } from './errors';
import { decideTaskDone } from './manual-tasks';
import type { Person } from './model';
import {
  isForeignCard,
  accepted,
  refused,
  type ActionOrigin,
  type ActionResult,
} from './action-result';
import { recordRefusal } from './outcome-recording';
import type { ServiceContext } from './service-context';

/**
 * An approver ticks off an item of the manual checklist. Idempotent: a second click is refused
 * with who ticked it and when, and changes nothing.
 */
export async function completeTask(
  ctx: ServiceContext,
  requestId: string,
  taskId: string,
  person: Person,
  origin: ActionOrigin = {},
): Promise<ActionResult> {
  const existing = await ctx.deps.store.get(requestId);
  if (!existing) throw new RequestRefused('unknown_request', `There is no request ${requestId}.`);
  if (isForeignCard(existing, origin)) {
    await recordRefusal(ctx, 'taskDone', requestId, person, 'stale_card');
    return refused(existing, 'This button does not belong to that request. Nothing was changed.');
  }
  const isApprover = await ctx.isApprover(person.id);
  let refusal: { code: string; message: string } | undefined;
  let taskTitle = '';
  const saved = await ctx.updater.update(requestId, (current) => {
    const decision = decideTaskDone(current, taskId, person, isApprover, ctx.deps.clock.now());
    refusal = decision.ok ? undefined : decision;
    if (decision.ok) taskTitle = decision.task.title;
    return decision.ok ? decision.request : undefined;
  });
  if (!saved) throw new RequestRefused('unknown_request', `There is no request ${requestId}.`);
  if (refusal) {
    await recordRefusal(ctx, 'taskDone', requestId, person, refusal.code);
    return refused(saved, refusal.message);
  }
  ctx.deps.logger.info('manual task done', { requestId, taskId, actorId: person.id });
  await ctx.record({
    type: 'task.done',
    requestId,
    actorId: person.id,
    details: { taskId, title: taskTitle.slice(0, 200) },
  });
  const { notifier } = ctx.deps;
  await ctx.safely(() => notifier.updateCard(saved), 'card update');
  return accepted(saved, `Recorded: "${taskTitle}" is done.`);
}
