// Graph routes on devices: /users/{id}/registeredDevices (paged) and /devices/{id}.
import type { GraphResult } from './graph-result';
import { badRequest, notFound } from './graph-result';
import { bodyObject, context, deviceResource, project, selection } from './odata';
import { pageOf, pageRequest } from './paging';
import type { RouteContext } from './route-types';
import type { StandinDevice } from './state';
import { withUser } from './user-routes';

export function registeredDevices(ctx: RouteContext): GraphResult {
  return withUser(ctx, (user) => {
    const paging = pageRequest(ctx);
    if (!paging.ok) return paging.result;
    const sample = ctx.state.devices.values().next().value;
    const known = sample
      ? deviceResource(sample)
      : { id: null, displayName: null, accountEnabled: null, operatingSystem: null };
    const sel = selection(ctx, known, 'microsoft.graph.directoryObject');
    if (!sel.ok) return sel.result;
    const all = [...ctx.state.devices.values()].filter((d) =>
      d.registeredUserIds.includes(user.id),
    );
    const page = pageOf(ctx, all, paging);
    const body: Record<string, unknown> = {
      '@odata.context': context(ctx, 'directoryObjects', sel.props),
      value: page.items.map((d) => ({
        '@odata.type': d.odataType ?? '#microsoft.graph.device',
        ...project(deviceResource(d), sel.props),
      })),
    };
    if (page.nextLink) body['@odata.nextLink'] = page.nextLink;
    return { status: 200, body };
  });
}

function withDevice(ctx: RouteContext, fn: (device: StandinDevice) => GraphResult): GraphResult {
  const id = ctx.params[0] ?? '';
  const device = ctx.state.devices.get(id);
  return device ? fn(device) : notFound(ctx.call, id);
}

export function getDevice(ctx: RouteContext): GraphResult {
  return withDevice(ctx, (device) => {
    const resource = deviceResource(device);
    const sel = selection(ctx, resource, 'microsoft.graph.device');
    if (!sel.ok) return sel.result;
    return {
      status: 200,
      body: {
        '@odata.context': context(ctx, 'devices', sel.props, '/$entity'),
        ...project(resource, sel.props),
      },
    };
  });
}

export function patchDevice(ctx: RouteContext): GraphResult {
  return withDevice(ctx, (device) => {
    const body = bodyObject(ctx.call);
    if (!body || Object.keys(body).length === 0)
      return badRequest(ctx.call, 'Empty Payload. JSON content expected.');
    const enabled = body['accountEnabled'];
    if (
      Object.keys(body).some((k) => k !== 'accountEnabled' && k !== 'displayName') ||
      (enabled !== undefined && typeof enabled !== 'boolean')
    ) {
      return badRequest(
        ctx.call,
        "Invalid property value or property cannot be updated on type 'microsoft.graph.device'.",
      );
    }
    Object.assign(device, body);
    return { status: 204 };
  });
}
