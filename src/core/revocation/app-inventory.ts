// Names the apps the plan deprovisions from, so the approvers see them before they approve.
// Nothing here writes, and nothing here calls a SCIM app: an app that is down must not stop an
// emergency request from being made (its step says so when it runs).
import type { AppProvisioning, ScimApps } from '../app-ports';
import type { AppInventory } from './app-plan';

export async function gatherAppInventory(
  provisioning: AppProvisioning | undefined,
  scim: ScimApps | undefined,
  retrying: <T>(operation: () => Promise<T>) => Promise<T>,
  provisionedIds: readonly string[],
): Promise<AppInventory | undefined> {
  const scimNames = scim?.names() ?? [];
  const ids = provisioning ? provisionedIds : [];
  if (ids.length === 0 && scimNames.length === 0) return undefined;
  const provisioned = await Promise.all(
    ids.map(async (id) => ({
      id,
      name: (await nameOf(provisioning, retrying, id)) ?? `app ${id}`,
    })),
  );
  return { provisioned, scim: scimNames };
}

/** Best effort: the name makes the card readable; the id is enough to act. */
async function nameOf(
  provisioning: AppProvisioning | undefined,
  retrying: <T>(operation: () => Promise<T>) => Promise<T>,
  id: string,
): Promise<string | undefined> {
  try {
    return await retrying(() =>
      provisioning ? provisioning.getProvisionedAppName(id) : Promise.resolve(undefined),
    );
  } catch {
    return undefined;
  }
}
