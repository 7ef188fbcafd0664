// The sandbox's enterprise-app provisioning: any app id in PROVISIONING_APPS is a demo app whose
// on-demand run pushes the user's accountEnabled, as Entra ID's provisioning service would.
import type { AppProvisioning, ProvisioningResult } from '../../core/app-ports';
import type { SandboxBehaviour } from './behaviour';
import type { SandboxEntraDirectory } from './sandbox-entra';

export class SandboxProvisioning implements AppProvisioning {
  /** servicePrincipalId → userId → whether the app's account is active after the last run. */
  readonly pushed = new Map<string, Map<string, boolean>>();

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

  async provisionOnDemand(servicePrincipalId: string, userId: string): Promise<ProvisioningResult> {
    const user = await this.entra.getUser(userId);
    return this.behaviour.run('provisionOnDemand', [servicePrincipalId, userId], () => {
      if (!user) return { status: 'skipped', detail: 'the user no longer exists' };
      const app = this.pushed.get(servicePrincipalId) ?? new Map<string, boolean>();
      app.set(userId, user.accountEnabled);
      this.pushed.set(servicePrincipalId, app);
      return {
        status: 'success',
        detail: `EntryExportUpdate: success (active ${String(user.accountEnabled)})`,
      };
    });
  }
}
