// The Graph calls beyond the runbook: Identity Protection, authentication methods, consent
// grants, the containment group, Intune managed devices, and the enables a restore needs. Deletes
// and adds answer success when the object is already gone or already there, so every step that
// uses them can be repeated.
import type { GraphRequest } from '@microsoft/microsoft-graph-client';
import { DirectoryError } from '../../core/errors';
import type {
  AuthMethod,
  ContainmentDirectory,
  ManagedDevice,
  OAuthGrant,
} from '../../core/containment-ports';
import { GraphDirectory } from './graph-directory';
import { asJson, type Json } from './mapping';
import { authMethodPath, toAuthMethod } from './auth-methods';
import { odataEq } from './odata';
import { GRAPH_OPERATIONS as ops, type GraphOperation } from './permissions';
import type { AppAssignment, AppProvisioning, ProvisioningResult } from '../../core/app-ports';
import { firstJobId, provisioningResult, userRuleId } from './graph-provisioning';
import { alreadyAssigned, resourceFilter, toAppAssignment } from './app-assignments';

const MANAGED_DEVICE_SELECT = ['id', 'deviceName', 'operatingSystem', 'managementState'];

export class GraphContainmentDirectory
  extends GraphDirectory
  implements ContainmentDirectory, AppProvisioning
{
  async getRiskState(userId: string): Promise<string> {
    const json = await this.runOrMissing(ops.getRiskState, () =>
      this.api(`/identityProtection/riskyUsers/${encodeURIComponent(userId)}`)
        .select(['id', 'riskState'])
        .get(),
    );
    // A user Identity Protection never flagged has no riskyUser object.
    const state = json === undefined ? undefined : asJson(json)['riskState'];
    return typeof state === 'string' ? state : 'none';
  }

  async confirmCompromised(userId: string): Promise<void> {
    await this.run(ops.confirmCompromised, () =>
      this.api('/identityProtection/riskyUsers/confirmCompromised').post({ userIds: [userId] }),
    );
  }

  async listAuthMethods(userId: string): Promise<AuthMethod[]> {
    const items = await this.pages(
      ops.listAuthMethods,
      `/users/${encodeURIComponent(userId)}/authentication/methods`,
    );
    return items.map(toAuthMethod).filter((m): m is AuthMethod => m !== undefined);
  }

  async deleteAuthMethod(userId: string, method: { id: string; type: string }): Promise<void> {
    const path = authMethodPath(method.type);
    if (path === undefined) {
      throw new DirectoryError(
        'rejected',
        `Revoke cannot remove a method of type ${method.type}; remove it in the Entra admin center.`,
        { code: 'UnsupportedMethodType' },
      );
    }
    await this.runOrMissing(ops.deleteAuthMethod, () =>
      this.api(
        `/users/${encodeURIComponent(userId)}/authentication/${path}/${encodeURIComponent(method.id)}`,
      ).delete(),
    );
  }

  async listOAuthGrants(userId: string): Promise<OAuthGrant[]> {
    const items = await this.pages(ops.listOAuthGrants, '/oauth2PermissionGrants', (request) =>
      request.filter(odataEq('principalId', userId)),
    );
    const grants = items.map((json) => ({
      id: String(json['id'] ?? ''),
      clientId: String(json['clientId'] ?? ''),
      scope: typeof json['scope'] === 'string' ? json['scope'] : '',
    }));
    const names = new Map<string, string | undefined>();
    for (const clientId of new Set(grants.map((g) => g.clientId))) {
      names.set(clientId, await this.servicePrincipalName(clientId));
    }
    return grants
      .filter((g) => g.id !== '')
      .map((g) => {
        const name = names.get(g.clientId);
        return name === undefined ? g : { ...g, clientName: name };
      });
  }

  /** Best effort: the app's name makes the plan readable, but its id is enough to act. */
  private async servicePrincipalName(id: string): Promise<string | undefined> {
    try {
      const json = await this.runOrMissing(ops.getServicePrincipalName, () =>
        this.api(`/servicePrincipals/${encodeURIComponent(id)}`)
          .select(['id', 'displayName'])
          .get(),
      );
      const name = json === undefined ? undefined : asJson(json)['displayName'];
      return typeof name === 'string' && name !== '' ? name : undefined;
    } catch {
      return undefined;
    }
  }

  getProvisionedAppName(servicePrincipalId: string): Promise<string | undefined> {
    return this.servicePrincipalName(servicePrincipalId);
  }

  async provisionOnDemand(servicePrincipalId: string, userId: string): Promise<ProvisioningResult> {
    const sp = `/servicePrincipals/${encodeURIComponent(servicePrincipalId)}/synchronization/jobs`;
    const jobId = firstJobId(await this.run(ops.listSyncJobs, () => this.api(sp).get()));
    if (jobId === undefined) {
      throw new DirectoryError(
        'misconfigured',
        `The enterprise app ${servicePrincipalId} has no provisioning job.`,
        { advice: 'Set up provisioning for it in Entra ID, or remove it from PROVISIONING_APPS.' },
      );
    }
    const job = `${sp}/${encodeURIComponent(jobId)}`;
    const ruleId = userRuleId(
      await this.run(ops.getSyncSchema, () => this.api(`${job}/schema`).get()),
    );
    if (ruleId === undefined) {
      throw new DirectoryError(
        'misconfigured',
        `The provisioning job of ${servicePrincipalId} has no synchronization rule.`,
      );
    }
    const response: unknown = await this.run(ops.provisionOnDemand, () =>
      this.api(`${job}/provisionOnDemand`).post({
        parameters: [{ ruleId, subjects: [{ objectId: userId, objectTypeName: 'User' }] }],
      }),
    );
    return provisioningResult(response);
  }

  async listAppAssignments(servicePrincipalId: string, userId: string): Promise<AppAssignment[]> {
    const filter = resourceFilter(servicePrincipalId);
    const items = await this.pages(
      ops.listAppRoleAssignments,
      `/users/${encodeURIComponent(userId)}/appRoleAssignments`,
      (request) => request.filter(filter),
    );
    return items.map(toAppAssignment).filter((a): a is AppAssignment => a !== undefined);
  }

  async removeAppAssignment(userId: string, assignmentId: string): Promise<void> {
    // 404: already removed (a step repeated after a crash), the state we wanted.
    await this.runOrMissing(ops.removeAppRoleAssignment, () =>
      this.api(
        `/users/${encodeURIComponent(userId)}/appRoleAssignments/${encodeURIComponent(assignmentId)}`,
      ).delete(),
    );
  }

  async addAppAssignment(
    servicePrincipalId: string,
    userId: string,
    appRoleId: string,
  ): Promise<void> {
    try {
      await this.run(ops.addAppRoleAssignment, () =>
        this.api(`/users/${encodeURIComponent(userId)}/appRoleAssignments`).post({
          principalId: userId,
          resourceId: servicePrincipalId,
          appRoleId,
        }),
      );
    } catch (error) {
      if (alreadyAssigned(error)) return;
      throw error;
    }
  }

  async deleteOAuthGrant(grantId: string): Promise<void> {
    await this.runOrMissing(ops.deleteOAuthGrant, () =>
      this.api(`/oauth2PermissionGrants/${encodeURIComponent(grantId)}`).delete(),
    );
  }

  async getGroupName(groupId: string): Promise<string | undefined> {
    const json = await this.runOrMissing(ops.getGroupName, () =>
      this.api(`/groups/${encodeURIComponent(groupId)}`)
        .select(['id', 'displayName'])
        .get(),
    );
    const name = json === undefined ? undefined : asJson(json)['displayName'];
    return typeof name === 'string' ? name : undefined;
  }

  async addGroupMember(groupId: string, userId: string): Promise<void> {
    try {
      await this.run(ops.addGroupMember, () =>
        this.api(`/groups/${encodeURIComponent(groupId)}/members/$ref`).post({
          '@odata.id': `${this.graphOrigin}/v1.0/directoryObjects/${encodeURIComponent(userId)}`,
        }),
      );
    } catch (error) {
      // Graph answers 400 when the member is already there: the state we wanted.
      if (error instanceof DirectoryError && /already exist/i.test(error.message)) return;
      throw error;
    }
  }

  async removeGroupMember(groupId: string, userId: string): Promise<void> {
    await this.runOrMissing(ops.removeGroupMember, () =>
      this.api(
        `/groups/${encodeURIComponent(groupId)}/members/${encodeURIComponent(userId)}/$ref`,
      ).delete(),
    );
  }

  async isGroupMember(groupId: string, userId: string): Promise<boolean> {
    return (await this.memberGroups(userId, [groupId])).includes(groupId);
  }

  async listManagedDevices(userId: string): Promise<ManagedDevice[]> {
    const items = await this.pages(
      ops.listManagedDevices,
      `/users/${encodeURIComponent(userId)}/managedDevices`,
      (request) => request.select(MANAGED_DEVICE_SELECT),
    );
    return items.map(toManagedDevice);
  }

  async getManagedDevice(deviceId: string): Promise<ManagedDevice | undefined> {
    const json = await this.runOrMissing(ops.getManagedDevice, () =>
      this.api(`/deviceManagement/managedDevices/${encodeURIComponent(deviceId)}`)
        .select(MANAGED_DEVICE_SELECT)
        .get(),
    );
    return json === undefined ? undefined : toManagedDevice(asJson(json));
  }

  async retireManagedDevice(deviceId: string): Promise<void> {
    await this.run(ops.retireManagedDevice, () =>
      this.api(`/deviceManagement/managedDevices/${encodeURIComponent(deviceId)}/retire`).post({}),
    );
  }

  async wipeManagedDevice(deviceId: string): Promise<void> {
    await this.run(ops.wipeManagedDevice, () =>
      this.api(`/deviceManagement/managedDevices/${encodeURIComponent(deviceId)}/wipe`).post({}),
    );
  }

  async enableUser(userId: string): Promise<void> {
    await this.run(ops.enableUser, () =>
      this.api(`/users/${encodeURIComponent(userId)}`).patch({ accountEnabled: true }),
    );
  }

  async enableDevice(deviceId: string): Promise<void> {
    await this.run(ops.enableDevice, () =>
      this.api(`/devices/${encodeURIComponent(deviceId)}`).patch({ accountEnabled: true }),
    );
  }

  /** Every item of a collection, following nextLink; too many pages fail (see eachItem). */
  private async pages(
    op: GraphOperation,
    path: string,
    shape: (request: GraphRequest) => GraphRequest = (request) => request,
  ): Promise<Json[]> {
    const items: Json[] = [];
    await this.eachItem(
      op,
      () => shape(this.api(path)),
      (item) => {
        items.push(item);
      },
    );
    return items;
  }
}

function toManagedDevice(json: Json): ManagedDevice {
  const device: ManagedDevice = {
    id: String(json['id'] ?? ''),
    deviceName: typeof json['deviceName'] === 'string' ? json['deviceName'] : String(json['id']),
    managementState:
      typeof json['managementState'] === 'string' ? json['managementState'] : 'managed',
  };
  if (typeof json['operatingSystem'] === 'string') device.operatingSystem = json['operatingSystem'];
  return device;
}
