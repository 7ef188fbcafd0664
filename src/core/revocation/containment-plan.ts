// The steps beyond the runbook: the compromised profile's containment (risk, attacker-added MFA,
// consented apps, containment group) and the optional Intune retire. Each names exactly what it
// touches, so the approvers see every method, app and device before they approve.
import type { AuthMethod, ManagedDevice, OAuthGrant } from '../containment-ports';
import type { RevocationProfile, Step } from '../model';

export interface ContainmentInventory {
  /** Every method the user has; the plan picks the recent ones. Empty unless compromised. */
  authMethods: AuthMethod[];
  grants: OAuthGrant[];
  /** Listed only when retiring devices was asked for. */
  managedDevices: ManagedDevice[];
  retireDevices: boolean;
  containmentGroup?: { id: string; name: string };
  mfaRecentDays: number;
  /** When the plan is made (ISO 8601): "recent" is counted back from here. */
  now: string;
}

export const CONTAINMENT_STEP_IDS = {
  confirmCompromised: 'entra-confirm-compromised',
  containmentGroup: 'containment-group',
} as const;

// The password is not an MFA method and Graph refuses to delete it; it is reset instead.
const NEVER_REMOVED = new Set(['passwordAuthenticationMethod']);

/** Methods registered within the last `days` days: the ones an attacker may have added. */
export function recentAuthMethods(
  methods: readonly AuthMethod[],
  now: Date,
  days: number,
): { recent: AuthMethod[]; undated: AuthMethod[] } {
  const since = now.getTime() - days * 86_400_000;
  const candidates = methods.filter((m) => !NEVER_REMOVED.has(m.type));
  return {
    recent: candidates.filter((m) => m.createdAt !== undefined && Date.parse(m.createdAt) >= since),
    undated: candidates.filter((m) => m.createdAt === undefined),
  };
}

export function containmentSteps(
  profile: RevocationProfile,
  inventory: ContainmentInventory,
): { steps: Step[]; notes: string[] } {
  const steps: Step[] = [];
  const notes: string[] = [];
  if (profile === 'compromised') {
    steps.push(
      pending(
        CONTAINMENT_STEP_IDS.confirmCompromised,
        'entra.confirmCompromised',
        'Confirm the user compromised in Identity Protection',
      ),
    );
    const { recent, undated } = recentAuthMethods(
      inventory.authMethods,
      new Date(inventory.now),
      inventory.mfaRecentDays,
    );
    for (const method of recent) {
      steps.push({
        ...pending(
          `auth-method-${method.id}`,
          'entra.removeAuthMethod',
          `Remove MFA method ${method.label}`,
          // After the disable, so the attacker cannot register another one in between.
          ['entra-disable'],
        ),
        subject: { id: method.id, name: method.label, type: method.type },
      });
    }
    const kept = inventory.authMethods.length - recent.length;
    notes.push(
      recent.length === 0
        ? `No MFA method was registered in the last ${inventory.mfaRecentDays} days: none is removed.`
        : `MFA methods registered in the last ${inventory.mfaRecentDays} days are removed (possibly added by the attacker); ${kept} older method(s) and the password are kept.`,
    );
    if (undated.length > 0) {
      notes.push(
        `Graph gives no registration date for ${undated.map((m) => m.label).join(', ')}: kept; check them by hand.`,
      );
    }
    for (const grant of inventory.grants) {
      const app = grant.clientName ?? `app ${grant.clientId}`;
      steps.push({
        ...pending(
          `oauth-grant-${grant.id}`,
          'entra.removeOAuthGrant',
          `Remove consent to ${app} (${grant.scope.trim() || 'no scopes'})`,
        ),
        subject: { id: grant.id, name: app },
      });
    }
    if (inventory.containmentGroup) {
      steps.push({
        ...pending(
          CONTAINMENT_STEP_IDS.containmentGroup,
          'entra.addToContainmentGroup',
          `Add to the containment group ${inventory.containmentGroup.name}`,
        ),
        subject: { ...inventory.containmentGroup },
      });
    }
  }
  if (inventory.retireDevices) {
    for (const device of inventory.managedDevices) {
      steps.push({
        ...pending(
          `retire-${device.id}`,
          'intune.retireDevice',
          `Retire ${device.deviceName} in Intune (company data removed)`,
        ),
        subject: { id: device.id, name: device.deviceName },
      });
    }
    if (inventory.managedDevices.length === 0) {
      notes.push('Retire was asked for, but Intune manages no device of this user.');
    } else {
      notes.push(
        'Intune retire takes effect when each device next checks in; it cannot be undone (the device must enrol again).',
      );
    }
  }
  return { steps, notes };
}

function pending(id: string, kind: Step['kind'], title: string, dependsOn: string[] = []): Step {
  return { id, kind, title, dependsOn, status: 'pending', attempts: 0 };
}
