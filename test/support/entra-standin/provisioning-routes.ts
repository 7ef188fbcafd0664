// Graph v1.0 synchronization routes for on-demand provisioning, with the application permissions
// Microsoft Learn lists for each (Application.ReadWrite.OwnedBy is left out: the stand-in does not
// model app ownership). The job's scope is the app's assignments (see runFor), and a run reports
// what it did the way Graph does: a JSON string inside a stringKeyStringValuePair.
import type { GraphResult } from './graph-result';
import { badRequest, notFound } from './graph-result';
import { bodyObject } from './odata';
import type { GraphRoute, RouteContext } from './route-types';
import type { StandinProvisioningJob } from './containment-state';
import { assignmentsReaching } from './app-assignment-routes';
import type { StandinUser } from './state';

const SEG = '([^/?]+)';
const V = '^/v1\\.0';
const SYNC_READ = [['Synchronization.Read.All'], ['Synchronization.ReadWrite.All']];
const STATUS_KEY = 'Microsoft.Identity.Health.CPP.Common.DataContracts.SyncFabric.StatusInfo';

/** The job of the route's service principal and job id, or the 404 Graph answers. */
function jobOf(ctx: RouteContext): StandinProvisioningJob | GraphResult {
  const [spId = '', jobId] = ctx.params;
  const job = ctx.state.containment.provisioningJobs.get(spId);
  if (!job || (jobId !== undefined && decodeURIComponent(jobId) !== job.jobId))
    return notFound(ctx.call, jobId === undefined ? spId : decodeURIComponent(jobId));
  return job;
}

function listJobs(ctx: RouteContext): GraphResult {
  const spId = ctx.params[0] ?? '';
  const job = ctx.state.containment.provisioningJobs.get(spId);
  if (!job) {
    if (!ctx.state.containment.servicePrincipals.has(spId)) return notFound(ctx.call, spId);
    return { status: 200, body: { value: [] } };
  }
  return {
    status: 200,
    body: {
      '@odata.context': `${ctx.origin}/v1.0/$metadata#servicePrincipals('${spId}')/synchronization/jobs`,
      value: [{ id: job.jobId, templateId: 'scim', status: { code: 'Active' } }],
    },
  };
}

function schema(ctx: RouteContext): GraphResult {
  const job = jobOf(ctx);
  if ('status' in job) return job;
  return {
    status: 200,
    body: {
      id: job.jobId,
      synchronizationRules: [
        {
          id: job.ruleId,
          name: 'USER_OUTBOUND_RULE',
          objectMappings: [
            { name: 'Provision Microsoft Entra ID Users', enabled: true, sourceObjectName: 'User' },
          ],
        },
      ],
    },
  };
}

function step(name: string, status: string, description: string) {
  return {
    name,
    type: name.replace(/^Entry|Action$/g, ''),
    status,
    description,
    timestamp: new Date().toISOString(),
    details: {},
  };
}

/**
 * What the provisioning service does for one user on demand, as Microsoft Learn documents it
 * (https://learn.microsoft.com/entra/identity/app-provisioning/provision-on-demand, "Known
 * limitations"): a user disabled (or deleted) in Entra ID is not processed at all; a user no longer
 * assigned, directly or through a group they are a direct member of, who was provisioned before is
 * deprovisioned (soft-deleted: active=false, as the default SCIM mappings say); an assigned user is
 * created or updated with their accountEnabled; an unassigned user never provisioned is skipped.
 */
function runFor(
  ctx: RouteContext,
  spId: string,
  job: StandinProvisioningJob,
  user: StandinUser,
): ReturnType<typeof step>[] {
  const imported = step(
    'EntryImport',
    'Success',
    `Retrieved ${user.userPrincipalName} from Microsoft Entra ID`,
  );
  if (!user.accountEnabled)
    return [
      step(
        'EntryImport',
        'Skipped',
        'On-demand provisioning does not process users who are disabled or deleted in Microsoft Entra ID',
      ),
    ];
  const inScope = assignmentsReaching(ctx.state, user.id, spId).length > 0;
  const was = job.pushed.get(user.id);
  if (inScope) {
    job.pushed.set(user.id, true);
    return [
      imported,
      step('EntrySynchronizationScoping', 'Success', 'The user is assigned to the app'),
      was === undefined
        ? step('EntryExportAdd', 'Success', 'User created in the app (active true)')
        : step('EntryExportUpdate', 'Success', 'active set to true'),
    ];
  }
  if (was === undefined)
    return [
      imported,
      step('EntrySynchronizationScoping', 'Skipped', 'The user is not assigned to the app'),
    ];
  job.pushed.set(user.id, false);
  return [
    imported,
    step(
      'EntrySynchronizationScoping',
      'Success',
      'The user is no longer assigned to the app: out of scope',
    ),
    step('EntryExportUpdateSoftDelete', 'Success', 'active set to false'),
  ];
}

function provisionOnDemand(ctx: RouteContext): GraphResult {
  const spId = ctx.params[0] ?? '';
  const job = jobOf(ctx);
  if ('status' in job) return job;
  const parameters = bodyObject(ctx.call)?.['parameters'];
  const first: unknown = Array.isArray(parameters) ? parameters[0] : undefined;
  const param =
    typeof first === 'object' && first !== null ? (first as Record<string, unknown>) : {};
  const subjects = param['subjects'];
  const subject: unknown = Array.isArray(subjects) ? subjects[0] : undefined;
  const { objectId, objectTypeName } =
    typeof subject === 'object' && subject !== null ? (subject as Record<string, unknown>) : {};
  if (param['ruleId'] !== job.ruleId)
    return badRequest(ctx.call, 'The synchronization rule id is not valid for this job.');
  if (typeof objectId !== 'string' || objectTypeName !== 'User')
    return badRequest(ctx.call, "Invalid request: 'subjects' must name one User object.");
  const user = ctx.state.users.get(objectId);
  if (!user) return notFound(ctx.call, objectId);
  const steps = runFor(ctx, spId, job, user);
  return {
    status: 200,
    body: {
      '@odata.context': `${ctx.origin}/v1.0/$metadata#microsoft.graph.stringKeyStringValuePair`,
      key: STATUS_KEY,
      value: JSON.stringify([{ provisioningSteps: steps }]),
    },
  };
}

export const PROVISIONING_ROUTES: GraphRoute[] = [
  {
    method: 'GET',
    pattern: new RegExp(`${V}/servicePrincipals/${SEG}/synchronization/jobs$`),
    name: 'GET /servicePrincipals/{id}/synchronization/jobs',
    permissions: SYNC_READ,
    handle: listJobs,
  },
  {
    method: 'GET',
    pattern: new RegExp(`${V}/servicePrincipals/${SEG}/synchronization/jobs/${SEG}/schema$`),
    name: 'GET /servicePrincipals/{id}/synchronization/jobs/{id}/schema',
    permissions: SYNC_READ,
    handle: schema,
  },
  {
    method: 'POST',
    pattern: new RegExp(
      `${V}/servicePrincipals/${SEG}/synchronization/jobs/${SEG}/provisionOnDemand$`,
    ),
    name: 'POST /servicePrincipals/{id}/synchronization/jobs/{id}/provisionOnDemand',
    permissions: [['Synchronization.ReadWrite.All']],
    handle: provisionOnDemand,
  },
];
