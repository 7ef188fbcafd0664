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
  // The tick counts only once recorded: written before it is saved (see SaveHooks).
  const saved = await ctx.updater.update(
    requestId,
    (current) => {
      const decision = decideTaskDone(current, taskId, person, isApprover, ctx.deps.clock.now());
      refusal = decision.ok ? undefined : decision;
      if (decision.ok) taskTitle = decision.task.title;
      return decision.ok ? decision.request : undefined;
    },
    {
      beforeSave: async () => {
        try {
          await ctx.recordOrRefuse({
            type: 'task.done',
            requestId,
            actorId: person.id,
            details: { taskId, title: taskTitle.slice(0, 200) },
          });
        } catch (error) {
          await recordRefusal(ctx, 'taskDone', requestId, person, 'audit_unavailable');
          throw error;
        }
      },
      notSaved: () => recordRefusal(ctx, 'taskDone', requestId, person, 'concurrent_change'),
    },
  );
  if (!saved) throw new RequestRefused('unknown_request', `There is no request ${requestId}.`);
  if (refusal) {
    await recordRefusal(ctx, 'taskDone', requestId, person, refusal.code);
    return refused(saved, refusal.message);
  }
  ctx.deps.logger.info('manual task done', { requestId, taskId, actorId: person.id });
  const { notifier } = ctx.deps;
  await ctx.safely(() => notifier.updateCard(saved), 'card update');
  return accepted(saved, `Recorded: "${taskTitle}" is done.`);
}
