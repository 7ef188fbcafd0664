// The Microsoft 365 Agents Playground's configuration for the sandbox tenant: the sandbox's
// tenant id, the bot as "Revoke", and the sandbox people as the chat's users, with their real
// object ids and channel account ids, so the bot recognises them exactly as it would in Teams.
import type { Person } from '../../core/model';

/** The playground requires exactly this many users besides the current one. */
export const PLAYGROUND_OTHER_USERS = 5;

export interface PlaygroundTenant {
  tenantId: string;
  people: readonly Person[];
}

export interface PlaygroundConfigOptions {
  /** Object id of the person the browser acts as; the first addressable person by default. */
  currentUserId?: string;
  /** Listed first among the other users (the approvers, so they can be @mentioned). */
  preferredIds?: readonly string[];
}

interface PlaygroundUser {
  id: string;
  name: string;
  userPrincipleName: string;
  aadObjectId: string;
  givenName: string;
  surname: string;
  email: string;
}

export const PLAYGROUND_TEAM = { name: 'Contoso SOC', channel: 'Incidents' } as const;

function toUser(person: Person): PlaygroundUser {
  const [givenName = person.name, ...rest] = person.name.split(' ');
  const upn = person.upn ?? `${person.id}@sandbox.invalid`;
  return {
    id: person.channelAccountId ?? `29:${person.id}`,
    name: person.name,
    // (sic) the playground's schema spells it this way.
    userPrincipleName: upn,
    aadObjectId: person.id,
    givenName,
    surname: rest.join(' ') || givenName,
    email: upn,
  };
}

/** The configuration as an object; written as JSON, which every YAML parser reads. */
export function playgroundConfig(
  tenant: PlaygroundTenant,
  options: PlaygroundConfigOptions = {},
): Record<string, unknown> {
  const addressable = tenant.people.filter((p) => p.channelAccountId);
  const current = addressable.find((p) => p.id === options.currentUserId) ?? addressable[0];
  if (!current) throw new Error('The sandbox tenant has nobody with a channel account id.');
  const preferred = options.preferredIds ?? [];
  const others = addressable
    .filter((p) => p.id !== current.id)
    .sort((a, b) => rank(preferred, a.id) - rank(preferred, b.id))
    .slice(0, PLAYGROUND_OTHER_USERS);
  if (others.length < PLAYGROUND_OTHER_USERS) {
    throw new Error(
      `The playground needs ${PLAYGROUND_OTHER_USERS + 1} people with channel account ids; the sandbox tenant has ${addressable.length}.`,
    );
  }
  return {
    version: '0.1.1',
    tenantId: tenant.tenantId,
    bot: { id: '28:revoke-sandbox', name: 'Revoke' },
    currentUser: toUser(current),
    users: others.map(toUser),
    personalChat: { id: 'sandbox-personal-chat' },
    groupChat: { id: 'sandbox-group-chat', name: 'Incident response' },
    team: {
      id: '19:sandbox-soc@thread.tacv2',
      name: PLAYGROUND_TEAM.name,
      aadGroupId: tenant.tenantId,
      channels: [{ id: '19:sandbox-incidents@thread.tacv2', name: PLAYGROUND_TEAM.channel }],
    },
  };
}

function rank(preferred: readonly string[], id: string): number {
  const index = preferred.indexOf(id);
  return index < 0 ? preferred.length : index;
}
