// Looks up what a profile's and the options' extra steps would act on, so the plan (and its dry
// run) can name every method, app and device before anyone approves. Nothing here writes.
import type { ContainmentDirectory } from '../containment-ports';
import { RequestRefused } from '../errors';
import type { RevocationOptions, RevocationProfile } from '../model';
import type { ContainmentInventory } from './containment-plan';

export interface InventorySettings {
  /** Methods registered within this many days count as possibly attacker-added. */
  mfaRecentDays: number;
  containmentGroupId?: string;
}

/** Undefined when the plan needs nothing beyond the runbook. */
export async function gatherInventory(
  containment: ContainmentDirectory | undefined,
  retrying: <T>(operation: () => Promise<T>) => Promise<T>,
  input: {
    userId: string;
    profile: RevocationProfile;
    options: RevocationOptions;
    settings: InventorySettings;
    now: Date;
  },
): Promise<ContainmentInventory | undefined> {
  const { profile, options, settings, userId } = input;
  const compromised = profile === 'compromised';
  if (!compromised && !options.retireDevices) return undefined;
  if (!containment) {
    throw new RequestRefused(
      'bad_command',
      'This deployment cannot run the compromised profile or retire devices (its directory has no containment support).',
    );
  }
  const groupId = compromised ? settings.containmentGroupId : undefined;
  const [authMethods, grants, managedDevices, groupName] = await Promise.all([
    compromised ? retrying(() => containment.listAuthMethods(userId)) : [],
    compromised ? retrying(() => containment.listOAuthGrants(userId)) : [],
    options.retireDevices ? retrying(() => containment.listManagedDevices(userId)) : [],
    groupId === undefined ? undefined : retrying(() => containment.getGroupName(groupId)),
  ]);
  const inventory: ContainmentInventory = {
    authMethods,
    grants,
    managedDevices,
    retireDevices: options.retireDevices,
    mfaRecentDays: settings.mfaRecentDays,
    now: input.now.toISOString(),
  };
  if (groupId !== undefined)
    inventory.containmentGroup = { id: groupId, name: groupName ?? groupId };
  return inventory;
}
