// One line per need (a revocation step or a group of look-ups): which least-privilege Graph
// application permission it needs and whether the token carries it or a broader one.
import { fail, ok, warn, type CheckResult } from '../check-result';
import {
  coverage,
  permissionNeeds,
  requiredPermissions,
  type Coverage,
} from '../required-permissions';

const CONSENT =
  'In the Entra admin center: App registrations > Revoke > API permissions > Add a permission > Microsoft Graph > Application permissions, add {perms}, then "Grant admin consent for <tenant>". The running bot picks the change up with its next token (within an hour; restart it to apply at once).';

export function checkEntraPermissions(roles: readonly string[]): CheckResult[] {
  return permissionNeeds().map((need) => {
    const required = requiredPermissions(need);
    const name = `Graph permission to ${need.purpose}`;
    const found = coverage(required, roles);
    if (found.missing.length > 0 && need.onlyFor) {
      return warn(
        name,
        `missing ${found.missing.join(' + ')}: needed only for ${need.onlyFor}`,
        CONSENT.replace('{perms}', found.missing.join(' and ')),
      );
    }
    if (found.missing.length > 0) {
      return fail(
        name,
        `missing ${found.missing.join(' + ')} (least privilege: ${required.join(' + ')})`,
        CONSENT.replace('{perms}', found.missing.join(' and ')),
      );
    }
    if (found.broader.size > 0) {
      return warn(
        name,
        `granted through ${describeBroader(found)}; least privilege is ${required.join(' + ')}`,
        `Consider granting ${required.join(' + ')} instead and removing the broader permission, if nothing else needs it.`,
      );
    }
    return ok(name, required.join(' + '));
  });
}

function describeBroader(found: Coverage): string {
  return [...found.broader.entries()].map(([need, wider]) => `${wider} (⊇ ${need})`).join(', ');
}
