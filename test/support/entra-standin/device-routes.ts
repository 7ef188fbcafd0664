// Graph routes on devices: /users/{id}/registeredDevices (paged) and /devices/{id}.
import type { GraphResult } from './graph-result';
import { badRequest, notFound } from './graph-result';
import { bodyObject, context, deviceResource, project, selection } from './odata';
import type { RouteContext } from './route-types';
import type { StandinDevice } from './state';
import { withUser } from './user-routes';

function skipToken(offset: number): string {
  return Buffer.from(`RFNwdAI:${offset}`).toString('base64url');
}

function readSkipToken(token: string): number | undefined {
  const m = /^RFNwdAI:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : undefined;
}

export function registeredDevices(ctx: RouteContext): GraphResult {
  return withUser(ctx, (user) => {
    const q = ctx.call.query;
    const top = q.has('$top') ? Number(q.get('$top')) : 100;
    if (!Number.isInteger(top) || top < 1 || top > 999) {
      return badRequest(
        ctx.call,
        `Invalid page size specified: '${q.get('$top') ?? ''}'. Must be between 1 and 999 inclusive.`,
      );
    }
    const token = q.get('$skiptoken');
    const offset = token === null ? 0 : readSkipToken(token);
    if (offset === undefined) return badRequest(ctx.call, 'Invalid skip token.');
    const sample = ctx.state.devices.values().next().value;
    const known = sample
      ? deviceResource(sample)
      : { id: null, displayName: null, accountEnabled: null, operatingSystem: null };
    const sel = selection(ctx, known, 'microsoft.graph.directoryObject');
    if (!sel.ok) return sel.result;
    const all = [...ctx.state.devices.values()].filter((d) =>
      d.registeredUserIds.includes(user.id),
    );
    const page = all.slice(offset, offset + top);
    const body: Record<string, unknown> = {
      '@odata.context': context(ctx, 'directoryObjects', sel.props),
      value: page.map((d) => ({
        '@odata.type': d.odataType ?? '#microsoft.graph.device',
        ...project(deviceResource(d), sel.props),
      })),
    };
    if (offset + top < all.length) {
      const next = new URLSearchParams();
      if (sel.props) next.set('$select', sel.props.join(','));
      next.set('$top', String(top));
      next.set('$skiptoken', skipToken(offset + top));
      body['@odata.nextLink'] = `${ctx.origin}${ctx.call.path}?${next.toString()}`;
    }
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
