// The Okta adapter, with Okta's SDK loaded on the first call. The SDK takes about a second and
// 100 MB to load, and every process that reads the configuration (the bot, `revoke audit`,
// `revoke doctor`) would pay for it even where Okta is not configured.
import type { OktaAccount, OktaDirectory } from '../../core/saas/okta-port';
import type { OktaSettings } from './okta-config';

export class LazyOktaDirectory implements OktaDirectory {
  private loaded: Promise<OktaDirectory> | undefined;

  constructor(private readonly settings: OktaSettings) {}

  findUser(loginOrEmail: string): Promise<OktaAccount | undefined> {
    return this.sdk().then((okta) => okta.findUser(loginOrEmail));
  }

  getUser(id: string): Promise<OktaAccount | undefined> {
    return this.sdk().then((okta) => okta.getUser(id));
  }

  suspendUser(id: string): Promise<void> {
    return this.sdk().then((okta) => okta.suspendUser(id));
  }

  unsuspendUser(id: string): Promise<void> {
    return this.sdk().then((okta) => okta.unsuspendUser(id));
  }

  deactivateUser(id: string): Promise<void> {
    return this.sdk().then((okta) => okta.deactivateUser(id));
  }

  clearSessions(id: string): Promise<void> {
    return this.sdk().then((okta) => okta.clearSessions(id));
  }

  grantedScopes(): Promise<string[]> {
    return this.sdk().then((okta) => okta.grantedScopes());
  }

  private sdk(): Promise<OktaDirectory> {
    this.loaded ??= import('./okta-directory.js').then(
      ({ OktaSdkDirectory }) => new OktaSdkDirectory(this.settings),
    );
    return this.loaded;
  }
}
