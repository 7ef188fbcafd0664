// Where Revoke answers: one tenant, and optionally a few channels or chats. Checked on every
// message and every card click before anything else, so a bot that was added somewhere it should
// not be (another tenant through a multi-tenant registration, a random team) does nothing there.
import type { Activity } from 'botbuilder';
import { conversationRoot } from './conversation-reference';

export interface AccessGateSettings {
  allowedTenantId: string;
  /** Teams channel ids or conversation ids; empty means any conversation in the tenant. */
  allowedChannelIds: readonly string[];
}

export type GateVerdict = { ok: true } | { ok: false; reason: 'tenant' | 'channel' };

export const NOT_ENABLED_HERE =
  'Revoke is not enabled here. Ask your administrator where to request emergency revocations.';

export class AccessGate {
  private readonly tenant: string;
  private readonly places: Set<string>;

  constructor(settings: AccessGateSettings) {
    this.tenant = settings.allowedTenantId.toLowerCase();
    this.places = new Set(
      settings.allowedChannelIds.map((id) => conversationRoot(id).toLowerCase()),
    );
  }

  check(activity: Partial<Activity>): GateVerdict {
    const tenants = tenantIdsOf(activity);
    // Both places Teams puts the tenant must agree, and with us: a mismatch is a forged activity.
    if (tenants.length === 0 || tenants.some((id) => id !== this.tenant)) {
      return { ok: false, reason: 'tenant' };
    }
    if (this.places.size === 0) return { ok: true };
    const candidates = placesOf(activity);
    return candidates.some((id) => this.places.has(id))
      ? { ok: true }
      : { ok: false, reason: 'channel' };
  }
}

function tenantIdsOf(activity: Partial<Activity>): string[] {
  const channelData = record(activity.channelData);
  const ids = [record(channelData?.['tenant'])?.['id'], activity.conversation?.tenantId];
  return ids
    .filter((id): id is string => typeof id === 'string' && id !== '')
    .map((id) => id.toLowerCase());
}

/** The channel's id (any thread in it) and the conversation's own id (a chat). */
function placesOf(activity: Partial<Activity>): string[] {
  const channelData = record(activity.channelData);
  const ids = [
    record(channelData?.['channel'])?.['id'],
    channelData?.['teamsChannelId'],
    activity.conversation?.id,
  ];
  return ids
    .filter((id): id is string => typeof id === 'string' && id !== '')
    .map((id) => conversationRoot(id).toLowerCase());
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
