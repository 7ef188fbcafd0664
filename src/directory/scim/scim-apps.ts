// The configured SCIM apps (SCIM_APPS) behind the core's ScimApps port, by name.
import { DirectoryError } from '../../core/errors';
import type { ScimApps, ScimUser } from '../../core/app-ports';
import { ScimClient, type ScimAppSettings } from './scim-client';

export class ScimAppsDirectory implements ScimApps {
  private readonly clients = new Map<string, ScimClient>();

  constructor(apps: readonly ScimAppSettings[], timeoutMs?: number) {
    for (const app of apps) this.clients.set(app.name, new ScimClient(app, timeoutMs));
  }

  names(): string[] {
    return [...this.clients.keys()];
  }

  findUser(app: string, userName: string): Promise<ScimUser | undefined> {
    return this.client(app).findUser(userName);
  }

  getUser(app: string, id: string): Promise<ScimUser | undefined> {
    return this.client(app).getUser(id);
  }

  deactivateUser(app: string, id: string): Promise<void> {
    return this.client(app).deactivateUser(id);
  }

  private client(app: string): ScimClient {
    const client = this.clients.get(app);
    // A request planned before SCIM_APPS changed may name an app that is no longer configured.
    if (!client)
      throw new DirectoryError('misconfigured', `${app} is no longer configured in SCIM_APPS.`);
    return client;
  }
}
