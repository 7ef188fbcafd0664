// Reading a user's app role assignments as Graph returns them
// (https://learn.microsoft.com/graph/api/user-list-approleassignments): the user's own, and those of
// the groups the user is a direct member of. An item that names no id, principal or role is left
// out: Revoke could neither remove it nor say whose it is.
import type { AppAssignment } from '../../core/app-ports';
import { DirectoryError } from '../../core/errors';
import type { Json } from './mapping';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `resourceId eq <guid>`: the property is an Edm.Guid, which Graph compares only without quotes,
 * so odataEq (a string literal) cannot be used. Anything but a GUID is refused before it reaches
 * the URL.
 */
export function resourceFilter(servicePrincipalId: string): string {
  if (!GUID.test(servicePrincipalId))
    throw new DirectoryError(
      'misconfigured',
      `The enterprise app id ${servicePrincipalId} is not a service principal object id (a GUID).`,
    );
  return `resourceId%20eq%20${servicePrincipalId}`;
}

export function toAppAssignment(json: Json): AppAssignment | undefined {
  const { id, appRoleId, principalId, principalType, principalDisplayName } = json;
  if (typeof id !== 'string' || id === '') return undefined;
  if (typeof appRoleId !== 'string' || typeof principalId !== 'string') return undefined;
  if (principalType !== 'User' && principalType !== 'Group') return undefined;
  return {
    id,
    appRoleId,
    principalType,
    principalId,
    principalName:
      typeof principalDisplayName === 'string' && principalDisplayName !== ''
        ? principalDisplayName
        : principalId,
  };
}

/** Graph answers 400 when the user already holds the role: the state a restore wants. */
export function alreadyAssigned(error: unknown): boolean {
  return error instanceof DirectoryError && /already exists/i.test(error.message);
}
