// Deprovisioning from applications: the enterprise apps Entra ID provisions, the apps with their
// own SCIM endpoint, and the checklist of what only a person can do. It belongs to every
// revocation profile: a leaver and an attacker alike must lose the apps that keep their own
// accounts and sessions, which disabling the Entra ID account does not end.
import type { ManualTask, Step } from '../model';

/** Which apps and checklist every revocation gets; single requests and batch children alike. */
export interface AppSettings {
  /** Service principal ids of enterprise apps Entra ID provisions (PROVISIONING_APPS). */
  provisioningAppIds?: string[];
  /** The checklist copied onto every revocation (MANUAL_DEPROVISION_TASKS). */
  manualTasks?: string[];
}

export interface AppInventory {
  /** Configured provisioned apps, named as Entra ID names them (the id when it cannot say). */
  provisioned: Array<{ id: string; name: string }>;
  /** Configured SCIM apps, by their configured name. */
  scim: string[];
}

export function provisioningStepId(servicePrincipalId: string): string {
  return `provision-${servicePrincipalId}`;
}

export function scimStepId(app: string): string {
  return `scim-${app.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
}

export function appSteps(inventory: AppInventory): Step[] {
  const steps: Step[] = [];
  for (const app of inventory.provisioned) {
    steps.push({
      ...pending(
        provisioningStepId(app.id),
        'app.provisionOnDemand',
        `Provision ${app.name} on demand (pushes the disabled account to the app now)`,
        // The job reads the account as it is: it must see it disabled.
        ['entra-disable'],
      ),
      subject: { ...app },
    });
  }
  for (const app of inventory.scim) {
    steps.push({
      ...pending(scimStepId(app), 'app.scimDeactivate', `Deactivate the user in ${app} (SCIM)`),
      subject: { id: app, name: app },
    });
  }
  return steps;
}

export function manualTasks(titles: readonly string[]): ManualTask[] {
  return titles.map((title, index) => ({ id: `task-${index + 1}`, title }));
}

function pending(id: string, kind: Step['kind'], title: string, dependsOn: string[] = []): Step {
  return { id, kind, title, dependsOn, status: 'pending', attempts: 0 };
}
