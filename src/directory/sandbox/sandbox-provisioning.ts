// The sandbox's enterprise-app provisioning: any app id in PROVISIONING_APPS is a demo app that
// every demo user is assigned to (directly, "Default Access") and provisioned in, until Revoke or a
// test changes it. Groups can be assigned too (assignGroup), reaching their direct members. An
// on-demand run behaves as Entra ID's provisioning service documents it
// (https://learn.microsoft.com/entra/identity/app-provisioning/provision-on-demand, "Known
// limitations"): a disabled user is not processed; an unassigned user provisioned before is
// deprovisioned; an assigned one is updated.
import { randomUUID } from 'node:crypto';
import {
  DEFAULT_ACCESS_APP_ROLE,
  type AppAssignment,
  type AppProvisioning,
  type ProvisioningResult,
} from '../../core/app-ports';
import { DirectoryError } from '../../core/errors';
import type { SandboxBehaviour } from './behaviour';
import type { SandboxEntraDirectory } from './sandbox-entra';

interface SandboxAssignment {
  id: string;
  appRoleId: string;
  principalId: string;
  principalType: 'User' | 'Group';
  principalName: string;
}

export class SandboxProvisioning implements AppProvisioning {
  /** servicePrincipalId → userId → whether the app's account is active after the last run. */
  readonly pushed = new Map<string, Map<string, boolean>>();
  /** servicePrincipalId → its assignments (users seeded on first use, and groups). */
  readonly assignments = new Map<string, SandboxAssignment[]>();
  /** "app|user" pairs already seeded: a demo user starts assigned and provisioned. */
  private readonly seeded = new Set<string>();

  constructor(
    private readonly entra: SandboxEntraDirectory,
    private readonly behaviour: SandboxBehaviour,
  ) {}

  getProvisionedAppName(servicePrincipalId: string): Promise<string | undefined> {
    return this.behaviour.run(
      'getProvisionedAppName',
      [servicePrincipalId],
      () => `Demo app ${servicePrincipalId.slice(0, 8)}`,
    );
  }

  /** For tests and the demo: assigns a group, whose direct members are then in the app's scope. */
  assignGroup(servicePrincipalId: string, group: { id: string; name: string }): void {
    this.app(servicePrincipalId).push({
      id: randomUUID(),
      appRoleId: DEFAULT_ACCESS_APP_ROLE,
      principalId: group.id,
      principalType: 'Group',
      principalName: group.name,
    });
  }

  async listAppAssignments(servicePrincipalId: string, userId: string): Promise<AppAssignment[]> {
    const user = await this.entra.getUser(userId);
    return this.behaviour.run('listAppAssignments', [userId, servicePrincipalId], () => {
      if (!user) throw new DirectoryError('not_found', `Sandbox: no user ${userId}.`);
      this.seed(servicePrincipalId, userId, user.displayName);
      return this.reaching(servicePrincipalId, userId).map((a) => ({ ...a }));
    });
  }

  removeAppAssignment(userId: string, assignmentId: string): Promise<void> {
    return this.behaviour.run('removeAppAssignment', [userId, assignmentId], () => {
      for (const list of this.assignments.values()) {
        const index = list.findIndex((a) => a.id === assignmentId && a.principalId === userId);
        if (index >= 0) list.splice(index, 1);
      }
    });
  }

  async addAppAssignment(
    servicePrincipalId: string,
    userId: string,
    appRoleId: string,
  ): Promise<void> {
    const user = await this.entra.getUser(userId);
    return this.behaviour.run('addAppAssignment', [userId, servicePrincipalId], () => {
      if (!user) throw new DirectoryError('not_found', `Sandbox: no user ${userId}.`);
      this.seed(servicePrincipalId, userId, user.displayName);
      const list = this.app(servicePrincipalId);
      if (list.some((a) => a.principalId === userId && a.appRoleId === appRoleId)) return;
      list.push({
        id: randomUUID(),
        appRoleId,
        principalId: userId,
        principalType: 'User',
        principalName: user.displayName,
      });
    });
  }

  async provisionOnDemand(servicePrincipalId: string, userId: string): Promise<ProvisioningResult> {
    const user = await this.entra.getUser(userId);
    return this.behaviour.run('provisionOnDemand', [servicePrincipalId, userId], () => {
      if (!user)
        return { status: 'skipped', detail: 'the user no longer exists', deprovisioned: false };
      if (!user.accountEnabled)
        return {
          status: 'skipped',
          detail:
            'EntryImport: skipped (on-demand provisioning does not process users disabled in Entra ID)',
          deprovisioned: false,
        };
      this.seed(servicePrincipalId, userId, user.displayName);
      const app = this.pushed.get(servicePrincipalId) ?? new Map<string, boolean>();
      this.pushed.set(servicePrincipalId, app);
      const inScope = this.reaching(servicePrincipalId, userId).length > 0;
      if (inScope) {
        app.set(userId, true);
        return {
          status: 'success',
          detail: 'EntrySynchronizationScoping: success, EntryExportUpdate: success',
          deprovisioned: false,
        };
      }
      if (!app.has(userId))
        return {
          status: 'skipped',
          detail: 'EntrySynchronizationScoping: skipped',
          deprovisioned: false,
        };
      app.set(userId, false);
      return {
        status: 'success',
        detail: 'EntrySynchronizationScoping: success, EntryExportUpdateSoftDelete: success',
        deprovisioned: true,
      };
    });
  }

  private app(servicePrincipalId: string): SandboxAssignment[] {
    const list = this.assignments.get(servicePrincipalId) ?? [];
    this.assignments.set(servicePrincipalId, list);
    return list;
  }

  /** The first time the demo touches a user in an app: assigned directly and provisioned, active. */
  private seed(servicePrincipalId: string, userId: string, name: string): void {
    const pair = `${servicePrincipalId}|${userId}`.toLowerCase();
    if (this.seeded.has(pair)) return;
    this.seeded.add(pair);
    this.app(servicePrincipalId).push({
      id: randomUUID(),
      appRoleId: DEFAULT_ACCESS_APP_ROLE,
      principalId: userId,
      principalType: 'User',
      principalName: name,
    });
    const app = this.pushed.get(servicePrincipalId) ?? new Map<string, boolean>();
    if (!app.has(userId)) app.set(userId, true);
    this.pushed.set(servicePrincipalId, app);
  }

  /** The user's own assignments and those of the groups that list them directly. */
  private reaching(servicePrincipalId: string, userId: string): SandboxAssignment[] {
    const groups = new Set(this.entra.directGroups(userId).map((g) => g.id.toLowerCase()));
    return this.app(servicePrincipalId).filter((a) =>
      a.principalType === 'User'
        ? a.principalId.toLowerCase() === userId.toLowerCase()
        : groups.has(a.principalId.toLowerCase()),
    );
  }
}
