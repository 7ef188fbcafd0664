// The dry run (`plan user …`). It shows the asker what a revocation would touch — the target's
// devices, MFA methods, app consents and privileged roles — so it is a directory read like any
// other: the same checks as a real request (prepareRequest), and an audit record of who looked at
// whom, with which profile and options. The record is written before anything is shown, and a
// plan whose record cannot be written is not shown: a look that leaves no trace does not happen.
import { RequestRefused } from './errors';
import type { RevocationRequest } from './model';
import { prepareRequest } from './request-preparation';
import type { ServiceContext } from './service-context';
import type { RevocationAsk } from './service-settings';

export type PlanAsk = Omit<RevocationAsk, 'reason' | 'conversationReference'>;

export async function previewPlan(ctx: ServiceContext, input: PlanAsk): Promise<RevocationRequest> {
  const profile = input.profile ?? 'termination';
  const retireDevices = input.options?.retireDevices ?? false;
  let request: RevocationRequest;
  try {
    request = await prepareRequest(ctx, {
      ...input,
      reason: '(dry run: no reason given)',
      conversationReference: '',
    });
  } catch (error) {
    if (error instanceof RequestRefused) {
      await ctx.record({
        type: 'request.refused',
        actorId: input.requester.id,
        details: { code: error.code, target: input.target.slice(0, 256), dryRun: true },
      });
    }
    throw error;
  }
  const { deps } = ctx;
  // AuditUnavailable (a refusal that says the trail is not answering) when it cannot be written.
  await ctx.recordOrRefuse({
    type: 'plan.previewed',
    actorId: input.requester.id,
    details: {
      targetId: request.target.id,
      targetUpn: request.target.userPrincipalName,
      profile,
      retireDevices,
      steps: request.steps.length,
    },
  });
  deps.logger.info('plan previewed', {
    targetId: request.target.id,
    requesterId: input.requester.id,
    steps: request.steps.length,
  });
  return request;
}
