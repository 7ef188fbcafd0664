// Graph v1.0 routes beyond the runbook, each with the application permissions Microsoft Learn
// lists for it: Identity Protection, authentication methods, consent grants, service principals,
// group membership writes and Intune managed devices.
import type { GraphResult } from './graph-result';
import { badRequest, graphError, notFound } from './graph-result';
import { bodyObject, context, project, selection } from './odata';
import { pageOf, pageRequest } from './paging';
import type { GraphRoute, RouteContext } from './route-types';
import { withUser } from './user-routes';

const SEG = '([^/?]+)';
const V = '^/v1\\.0';

const METHOD_PATHS: Record<string, string> = {
  microsoftAuthenticatorMethods: 'microsoftAuthenticatorAuthenticationMethod',
  phoneMethods: 'phoneAuthenticationMethod',
  fido2Methods: 'fido2AuthenticationMethod',
  windowsHelloForBusinessMethods: 'windowsHelloForBusinessAuthenticationMethod',
  softwareOathMethods: 'softwareOathAuthenticationMethod',
  emailMethods: 'emailAuthenticationMethod',
  temporaryAccessPassMethods: 'temporaryAccessPassAuthenticationMethod',
};

const GROUP_WRITE = [
  ['GroupMember.ReadWrite.All'],
  ['Group.ReadWrite.All'],
  ['Directory.ReadWrite.All'],
];
const INTUNE_READ = [
  ['DeviceManagementManagedDevices.Read.All'],
  ['DeviceManagementManagedDevices.ReadWrite.All'],
];
const INTUNE_PRIVILEGED = [['DeviceManagementManagedDevices.PrivilegedOperations.All']];

function riskyUser(ctx: RouteContext): GraphResult {
  const id = ctx.params[0] ?? '';
  const state = ctx.state.containment.riskStates.get(id);
  if (state === undefined) return notFound(ctx.call, id);
  const resource = {
    id,
    riskState: state,
    riskLevel: state === 'confirmedCompromised' ? 'high' : 'low',
  };
  const sel = selection(ctx, resource, 'microsoft.graph.riskyUser');
  if (!sel.ok) return sel.result;
  return {
    status: 200,
    body: {
      '@odata.context': context(ctx, 'identityProtection/riskyUsers', sel.props, '/$entity'),
      ...project(resource, sel.props),
    },
  };
}

function confirmCompromised(ctx: RouteContext): GraphResult {
  const ids = bodyObject(ctx.call)?.['userIds'];
  if (!Array.isArray(ids) || ids.length === 0 || ids.some((id) => typeof id !== 'string'))
    return badRequest(ctx.call, "Invalid request: 'userIds' must be a non-empty array of strings.");
  for (const id of ids as string[]) {
    if (ctx.state.users.has(id)) ctx.state.containment.riskStates.set(id, 'confirmedCompromised');
  }
  return { status: 204 };
}

function listMethods(ctx: RouteContext): GraphResult {
  return withUser(ctx, (user) => ({
    status: 200,
    body: {
      '@odata.context': `${ctx.origin}/v1.0/$metadata#users('${user.id}')/authentication/methods`,
      value: [
        // Every user has a password method; it is listed but never deletable.
        {
          '@odata.type': '#microsoft.graph.passwordAuthenticationMethod',
          id: '28c10230-6103-485e-b985-444c60001490',
          createdDateTime: null,
        },
        ...(ctx.state.containment.authMethods.get(user.id) ?? []).map((m) => ({
          '@odata.type': `#microsoft.graph.${m.type}`,
          id: m.id,
          createdDateTime: m.createdDateTime ?? null,
          ...(m.displayName === undefined ? {} : { displayName: m.displayName }),
          ...(m.phoneNumber === undefined
            ? {}
            : { phoneNumber: m.phoneNumber, phoneType: 'mobile' }),
        })),
      ],
    },
  }));
}

function deleteMethod(ctx: RouteContext): GraphResult {
  return withUser(ctx, (user) => {
    const [, path = '', methodId = ''] = ctx.params;
    const type = METHOD_PATHS[path];
    if (type === undefined)
      return badRequest(ctx.call, `Resource not found for the segment '${path}'.`);
    const methods = ctx.state.containment.authMethods.get(user.id) ?? [];
    const method = methods.find((m) => m.id === methodId && m.type === type);
    if (!method) return notFound(ctx.call, methodId);
    ctx.state.containment.authMethods.set(
      user.id,
      methods.filter((m) => m !== method),
    );
    return { status: 204 };
  });
}

const GRANT_FILTER = /^\s*principalId\s+eq\s+'((?:[^']|'')*)'\s*$/;

function listGrants(ctx: RouteContext): GraphResult {
  const filter = ctx.call.query.get('$filter');
  const m = filter === null ? null : GRANT_FILTER.exec(filter);
  if (filter !== null && !m)
    return graphError(
      ctx.call,
      400,
      'Request_UnsupportedQuery',
      'Unsupported or invalid query filter clause specified.',
    );
  const principalId = m?.[1]?.replace(/''/g, "'");
  const grants = [...ctx.state.containment.grants.values()].filter(
    (g) => principalId === undefined || g.principalId === principalId,
  );
  const paging = pageRequest(ctx);
  if (!paging.ok) return paging.result;
  const page = pageOf(ctx, grants, paging);
  const body: Record<string, unknown> = {
    '@odata.context': `${ctx.origin}/v1.0/$metadata#oauth2PermissionGrants`,
    value: page.items.map((g) => ({ ...g, consentType: 'Principal' })),
  };
  if (page.nextLink) body['@odata.nextLink'] = page.nextLink;
  return { status: 200, body };
}

function deleteGrant(ctx: RouteContext): GraphResult {
  const id = ctx.params[0] ?? '';
  if (!ctx.state.containment.grants.delete(id)) return notFound(ctx.call, id);
  return { status: 204 };
}

function servicePrincipal(ctx: RouteContext): GraphResult {
  const id = ctx.params[0] ?? '';
  const name = ctx.state.containment.servicePrincipals.get(id);
  if (name === undefined) return notFound(ctx.call, id);
  const resource = { id, displayName: name, appId: id };
  const sel = selection(ctx, resource, 'microsoft.graph.servicePrincipal');
  if (!sel.ok) return sel.result;
  return {
    status: 200,
    body: {
      '@odata.context': context(ctx, 'servicePrincipals', sel.props, '/$entity'),
      ...project(resource, sel.props),
    },
  };
}

function addMember(ctx: RouteContext): GraphResult {
  const group = ctx.state.groups.get(ctx.params[0] ?? '');
  if (!group) return notFound(ctx.call, ctx.params[0] ?? '');
  const ref = bodyObject(ctx.call)?.['@odata.id'];
  // Graph resolves the reference only on its own host: a national-cloud tenant given a
  // graph.microsoft.com link refuses it, so the stand-in insists on its own origin too.
  const prefix = `${ctx.origin}/v1.0/directoryObjects/`;
  const id =
    typeof ref === 'string' && ref.startsWith(prefix)
      ? decodeURIComponent(ref.slice(prefix.length))
      : undefined;
  if (!id || id.includes('/'))
    return badRequest(ctx.call, "Invalid request: '@odata.id' must reference a directory object.");
  if (!ctx.state.users.has(id) && !ctx.state.groups.has(id)) return notFound(ctx.call, id);
  if (group.memberIds.includes(id)) {
    return badRequest(
      ctx.call,
      "One or more added object references already exist for the following modified properties: 'members'.",
    );
  }
  group.memberIds.push(id);
  return { status: 204 };
}

function removeMember(ctx: RouteContext): GraphResult {
  const group = ctx.state.groups.get(ctx.params[0] ?? '');
  const id = ctx.params[1] ?? '';
  if (!group || !group.memberIds.includes(id)) return notFound(ctx.call, id);
  group.memberIds = group.memberIds.filter((m) => m !== id);
  return { status: 204 };
}

const MANAGED_PROPS = {
  id: null,
  deviceName: null,
  operatingSystem: null,
  managementState: null,
  userId: null,
};

function managedDevices(ctx: RouteContext): GraphResult {
  return withUser(ctx, (user) => {
    const sel = selection(ctx, MANAGED_PROPS, 'microsoft.graph.managedDevice');
    if (!sel.ok) return sel.result;
    const devices = [...ctx.state.containment.managedDevices.values()].filter(
      (d) => d.userId === user.id,
    );
    return {
      status: 200,
      body: {
        '@odata.context': context(ctx, 'managedDevices', sel.props),
        value: devices.map((d) => project({ ...d }, sel.props)),
      },
    };
  });
}

function managedDevice(ctx: RouteContext): GraphResult {
  const device = ctx.state.containment.managedDevices.get(ctx.params[0] ?? '');
  if (!device) return notFound(ctx.call, ctx.params[0] ?? '');
  const sel = selection(ctx, MANAGED_PROPS, 'microsoft.graph.managedDevice');
  if (!sel.ok) return sel.result;
  return {
    status: 200,
    body: {
      '@odata.context': context(ctx, 'deviceManagement/managedDevices', sel.props, '/$entity'),
      ...project({ ...device }, sel.props),
    },
  };
}

function deviceAction(state: string) {
  return (ctx: RouteContext): GraphResult => {
    const device = ctx.state.containment.managedDevices.get(ctx.params[0] ?? '');
    if (!device) return notFound(ctx.call, ctx.params[0] ?? '');
    device.managementState = state;
    return { status: 204 };
  };
}

export const CONTAINMENT_ROUTES: GraphRoute[] = [
  {
    method: 'POST',
    pattern: new RegExp(`${V}/identityProtection/riskyUsers/confirmCompromised$`),
    name: 'POST /identityProtection/riskyUsers/confirmCompromised',
    permissions: [['IdentityRiskyUser.ReadWrite.All']],
    handle: confirmCompromised,
  },
  {
    method: 'GET',
    pattern: new RegExp(`${V}/identityProtection/riskyUsers/${SEG}$`),
    name: 'GET /identityProtection/riskyUsers/{id}',
    permissions: [['IdentityRiskyUser.Read.All'], ['IdentityRiskyUser.ReadWrite.All']],
    handle: riskyUser,
  },
  {
    method: 'GET',
    pattern: new RegExp(`${V}/users/${SEG}/authentication/methods$`),
    name: 'GET /users/{id}/authentication/methods',
    permissions: [
      ['UserAuthenticationMethod.Read.All'],
      ['UserAuthenticationMethod.ReadWrite.All'],
    ],
    handle: listMethods,
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`${V}/users/${SEG}/authentication/${SEG}/${SEG}$`),
    name: 'DELETE /users/{id}/authentication/{type}/{id}',
    permissions: [['UserAuthenticationMethod.ReadWrite.All']],
    handle: deleteMethod,
  },
  {
    method: 'GET',
    pattern: new RegExp(`${V}/oauth2PermissionGrants$`),
    name: 'GET /oauth2PermissionGrants',
    permissions: [
      ['Directory.Read.All'],
      ['DelegatedPermissionGrant.ReadWrite.All'],
      ['Directory.ReadWrite.All'],
    ],
    handle: listGrants,
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`${V}/oauth2PermissionGrants/${SEG}$`),
    name: 'DELETE /oauth2PermissionGrants/{id}',
    permissions: [['DelegatedPermissionGrant.ReadWrite.All'], ['Directory.ReadWrite.All']],
    handle: deleteGrant,
  },
  {
    method: 'GET',
    pattern: new RegExp(`${V}/servicePrincipals/${SEG}$`),
    name: 'GET /servicePrincipals/{id}',
    permissions: [['Application.Read.All'], ['Application.ReadWrite.All'], ['Directory.Read.All']],
    handle: servicePrincipal,
  },
  {
    method: 'POST',
    pattern: new RegExp(`${V}/groups/${SEG}/members/\\$ref$`),
    name: 'POST /groups/{id}/members/$ref',
    permissions: GROUP_WRITE,
    handle: addMember,
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`${V}/groups/${SEG}/members/${SEG}/\\$ref$`),
    name: 'DELETE /groups/{id}/members/{id}/$ref',
    permissions: GROUP_WRITE,
    handle: removeMember,
  },
  {
    method: 'GET',
    pattern: new RegExp(`${V}/users/${SEG}/managedDevices$`),
    name: 'GET /users/{id}/managedDevices',
    permissions: INTUNE_READ,
    handle: managedDevices,
  },
  {
    method: 'GET',
    pattern: new RegExp(`${V}/deviceManagement/managedDevices/${SEG}$`),
    name: 'GET /deviceManagement/managedDevices/{id}',
    permissions: INTUNE_READ,
    handle: managedDevice,
  },
  {
    method: 'POST',
    pattern: new RegExp(`${V}/deviceManagement/managedDevices/${SEG}/retire$`),
    name: 'POST /deviceManagement/managedDevices/{id}/retire',
    permissions: INTUNE_PRIVILEGED,
    handle: deviceAction('retirePending'),
  },
  {
    method: 'POST',
    pattern: new RegExp(`${V}/deviceManagement/managedDevices/${SEG}/wipe$`),
    name: 'POST /deviceManagement/managedDevices/{id}/wipe',
    permissions: INTUNE_PRIVILEGED,
    handle: deviceAction('wipePending'),
  },
];
