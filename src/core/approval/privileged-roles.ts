// Which directory roles make a target "privileged": revoking such an account is both more
// damaging if done by mistake and more attractive to an attacker who wants to lock the admins
// out, so it takes one more approval. Microsoft marks such roles itself (`isPrivileged` on the
// role definition), so Revoke keeps no list of its own that could fall behind new roles.
import type { DirectoryRole } from '../model';

/**
 * The names of the privileged roles among `roles`, each saying how it is held ("eligible", "through
 * Tier 0 Admins"). A role whose flag we could not read counts as privileged: asking for one
 * approval too many is the safe mistake.
 */
export function privilegedRoleNames(roles: readonly DirectoryRole[]): string[] {
  const names = new Set<string>();
  for (const role of roles) {
    if (role.isPrivileged === false) continue;
    const name = role.displayName ?? 'an unidentified directory role';
    names.add(`${name}${howHeld(role)}`);
  }
  return [...names].sort();
}

function howHeld(role: DirectoryRole): string {
  const ways = [
    ...(role.assignment === 'eligible' ? ['eligible'] : []),
    ...(role.viaGroup !== undefined ? [`through ${role.viaGroup}`] : []),
  ];
  return ways.length > 0 ? ` (${ways.join(', ')})` : '';
}
