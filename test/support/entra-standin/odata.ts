// OData helpers shared by the stand-in's Graph routes: resource shapes, $select, @odata.context.
import type { GraphCall, GraphResult } from './graph-result';
import { badRequest } from './graph-result';
import type { RouteContext } from './route-types';
import type { StandinDevice, StandinUser } from './state';

export const USER_DEFAULT_SELECT = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
];

export const USER_PROPERTIES: Record<string, unknown> = Object.fromEntries(
  [
    ...USER_DEFAULT_SELECT,
    'accountEnabled',
    'department',
    'onPremisesSyncEnabled',
    'onPremisesSamAccountName',
    'onPremisesSecurityIdentifier',
    'onPremisesUserPrincipalName',
    'signInSessionsValidFromDateTime',
  ].map((p) => [p, null]),
);

export function userResource(user: StandinUser): Record<string, unknown> {
  const { managerId: _manager, ...rest } = user;
  return {
    businessPhones: [],
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: null,
    ...rest,
  };
}

export function deviceResource(device: StandinDevice): Record<string, unknown> {
  const { registeredUserIds: _owners, odataType: _type, ...rest } = device;
  return rest;
}

type Projection = { ok: true; props: string[] | undefined } | { ok: false; result: GraphResult };

export function selection(
  ctx: RouteContext,
  known: Record<string, unknown>,
  type: string,
): Projection {
  const raw = ctx.call.query.get('$select');
  if (raw === null) return { ok: true, props: undefined };
  const props = raw
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  const unknown = props.find((p) => !(p in known));
  if (unknown !== undefined) {
    return {
      ok: false,
      result: badRequest(
        ctx.call,
        `Could not find a property named '${unknown}' on type '${type}'.`,
      ),
    };
  }
  return { ok: true, props };
}

export function project(
  resource: Record<string, unknown>,
  props: string[] | undefined,
  fallback?: string[],
) {
  const keep = props ?? fallback;
  if (!keep) return { ...resource };
  const out: Record<string, unknown> = {};
  for (const p of keep) out[p] = resource[p] ?? null;
  return out;
}

export function context(
  ctx: RouteContext,
  set: string,
  props: string[] | undefined,
  suffix = '',
): string {
  const sel = props ? `(${props.join(',')})` : '';
  return `${ctx.origin}/v1.0/$metadata#${set}${sel}${suffix}`;
}

export function bodyObject(call: GraphCall): Record<string, unknown> | undefined {
  const body = call.body;
  return body !== null && typeof body === 'object' && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : undefined;
}
