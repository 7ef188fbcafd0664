import type { Activity } from 'botbuilder';
import type { Person } from '../core/model';

/**
 * Who sent an activity. The Entra object id (`aadObjectId`) is the identity Revoke authorises;
 * Teams always sends it for people in the tenant. Without it we cannot tell who clicked.
 */
export function personFrom(activity: Pick<Activity, 'from'>): Person | undefined {
  const from = activity.from;
  const id = typeof from?.aadObjectId === 'string' ? from.aadObjectId.trim().toLowerCase() : '';
  if (!id || id.length > 64) return undefined;
  return {
    id,
    name:
      typeof from.name === 'string' && from.name.trim()
        ? from.name.trim().slice(0, 200)
        : 'Unknown user',
    channelAccountId: typeof from.id === 'string' ? from.id : undefined,
  };
}
