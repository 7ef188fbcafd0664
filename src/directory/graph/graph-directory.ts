// Directory on Microsoft Graph v1.0. Every call is bounded by a timeout and every failure leaves as
// a DirectoryError; nothing here retries (withRetry is the one retry layer).
import type { Client, GraphRequest } from '@microsoft/microsoft-graph-client';
import { DirectoryError } from '../../core/errors';
import type { Device, DirectoryRole, DirectoryUser, Person } from '../../core/model';
import type { Directory } from '../../core/ports';
import { DEFAULT_TIMEOUT_MS } from './config';
import {
  disableDevicesBatch,
  MAX_BATCH_REQUESTS,
  readDisableDevicesResponse,
} from './device-batch';
import { toDirectoryError } from './graph-errors';
import {
  asJson,
  DEVICE_SELECT,
  DEVICE_TYPE,
  ROLE_SELECT,
  toDevice,
  toDirectoryRole,
  toDirectoryUser,
  toPerson,
  USER_SELECT,
} from './mapping';
import { GRAPH_OPERATIONS, type GraphOperation } from './permissions';
import { makeRedactor, type Redactor } from './redact';

export interface GraphDirectoryOptions {
  timeoutMs?: number;
  /** Page size for registeredDevices (Graph allows 1–999; its default is 100). */
  pageSize?: number;
  /** Values to scrub from any error text (the client secret). */
  secrets?: readonly (string | undefined)[];
}

const MAX_CHECK_GROUPS = 20;
const BACKSTOP_MARGIN_MS = 250;
/** A runaway nextLink chain is a bug somewhere; stop well past any real device count. */
const MAX_PAGES = 1000;

const ops = GRAPH_OPERATIONS;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** UPNs with these characters cannot be used as a path key (`#EXT#` guests, `$`-prefixed). */
const UNSAFE_KEY = /[#$/?%\\]/;

function odataString(value: string): string {
  return encodeURIComponent(`'${value.replace(/'/g, "''")}'`);
}

export class GraphDirectory implements Directory {
  private readonly timeoutMs: number;
  private readonly pageSize: number;
  protected readonly redact: Redactor;

  constructor(
    private readonly client: Client,
    options: GraphDirectoryOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.pageSize = options.pageSize ?? 100;
    this.redact = makeRedactor(options.secrets ?? []);
  }

  /** A request bounded by the per-call timeout. */
  protected api(path: string): GraphRequest {
    return this.client.api(path).option('signal', AbortSignal.timeout(this.timeoutMs));
  }

  /**
   * Runs one Graph call and translates its failure. The fetch itself is aborted by the signal set
   * in api(); the race is the backstop for what that signal cannot reach (a hung token request).
   */
  protected async run<T>(op: GraphOperation, call: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const backstop = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new DirectoryError(
              'transient',
              `The call to ${op.action} timed out after ${this.timeoutMs} ms.`,
              {
                code: 'Timeout',
              },
            ),
          ),
        this.timeoutMs + BACKSTOP_MARGIN_MS,
      );
    });
    try {
      return await Promise.race([call(), backstop]);
    } catch (error) {
      throw toDirectoryError(error, op, this.redact);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Like run, but a 404 answers undefined. */
  protected async runOrMissing<T>(
    op: GraphOperation,
    call: () => Promise<T>,
  ): Promise<T | undefined> {
    try {
      return await this.run(op, call);
    } catch (error) {
      if ((error as DirectoryError).kind === 'not_found') return undefined;
      throw error;
    }
  }

  async findUser(upnOrMail: string): Promise<DirectoryUser | undefined> {
    const key = upnOrMail.trim();
    if (key === '') return undefined;
    const op = ops.findUser;
    if (!UNSAFE_KEY.test(key)) {
      const byUpn = await this.runOrMissing(op, () =>
        this.api(`/users/${encodeURIComponent(key)}`)
          .select(USER_SELECT)
          .get(),
      );
      if (byUpn !== undefined) return toDirectoryUser(asJson(byUpn));
    } else {
      const byUpn = await this.firstWhere(op, 'userPrincipalName', key);
      if (byUpn) return byUpn;
    }
    return this.firstWhere(op, 'mail', key);
  }

  private async firstWhere(
    op: GraphOperation,
    property: string,
    value: string,
  ): Promise<DirectoryUser | undefined> {
    const page = await this.run(op, () =>
      this.api('/users')
        .filter(`${property}%20eq%20${odataString(value)}`)
        .select(USER_SELECT)
        .get(),
    );
    const list = asJson(page)['value'];
    const first: unknown = Array.isArray(list) ? list[0] : undefined;
    return first === undefined ? undefined : toDirectoryUser(asJson(first));
  }

  async getUser(id: string): Promise<DirectoryUser | undefined> {
    const json = await this.runOrMissing(ops.getUser, () =>
      this.api(`/users/${encodeURIComponent(id)}`)
        .select(USER_SELECT)
        .get(),
    );
    return json === undefined ? undefined : toDirectoryUser(asJson(json));
  }

  async listRegisteredDevices(userId: string): Promise<Device[]> {
    const op = ops.listRegisteredDevices;
    const devices: Device[] = [];
    let page = await this.run(op, () =>
      this.api(`/users/${encodeURIComponent(userId)}/registeredDevices`)
        .select(DEVICE_SELECT)
        .top(this.pageSize)
        .get(),
    );
    for (let pages = 1; ; pages++) {
      const json = asJson(page);
      const value = json['value'];
      for (const item of Array.isArray(value) ? value : []) {
        const entry = asJson(item);
        // registeredDevices is a directoryObject collection; keep only devices.
        if (entry['@odata.type'] === DEVICE_TYPE) devices.push(toDevice(entry));
      }
      const next = json['@odata.nextLink'];
      if (typeof next !== 'string' || pages >= MAX_PAGES) return devices;
      page = await this.run(op, () => this.api(next).get());
    }
  }

  async getDevice(deviceId: string): Promise<Device | undefined> {
    const json = await this.runOrMissing(ops.getDevice, () =>
      this.api(`/devices/${encodeURIComponent(deviceId)}`)
        .select(DEVICE_SELECT)
        .get(),
    );
    return json === undefined ? undefined : toDevice(asJson(json));
  }

  /** PATCH is idempotent in Graph: disabling a disabled account answers 204 as well. */
  async disableUser(userId: string): Promise<void> {
    await this.run(ops.disableUser, () =>
      this.api(`/users/${encodeURIComponent(userId)}`).patch({ accountEnabled: false }),
    );
  }

  async revokeSignInSessions(userId: string): Promise<{ validFrom?: string }> {
    const path = `/users/${encodeURIComponent(userId)}`;
    const op = ops.revokeSignInSessions;
    const answer = await this.run(op, () => this.api(`${path}/revokeSignInSessions`).post({}));
    if (asJson(answer)['value'] !== true) {
      throw toDirectoryError(
        new Error('Graph answered revokeSignInSessions without value=true.'),
        op,
        this.redact,
      );
    }
    // The revocation has happened; failing to read the new time back must not undo that success.
    try {
      const user = asJson(
        await this.run(ops.getUser, () =>
          this.api(path).select(['signInSessionsValidFromDateTime']).get(),
        ),
      );
      const validFrom = user['signInSessionsValidFromDateTime'];
      return { validFrom: typeof validFrom === 'string' ? validFrom : undefined };
    } catch {
      return { validFrom: undefined };
    }
  }

  async disableDevice(deviceId: string): Promise<void> {
    await this.run(ops.disableDevice, () =>
      this.api(`/devices/${encodeURIComponent(deviceId)}`).patch({ accountEnabled: false }),
    );
  }

  /**
   * Disables many devices with one $batch round trip per 20. Undefined means disabled; an error is
   * that device's own outcome (a throttled one carries its Retry-After). A failure of the batch
   * request itself is reported against every device it carried.
   */
  async disableDevices(
    deviceIds: readonly string[],
  ): Promise<Map<string, DirectoryError | undefined>> {
    const op = ops.disableDevice;
    const results = new Map<string, DirectoryError | undefined>();
    for (const chunk of chunks([...new Set(deviceIds)], MAX_BATCH_REQUESTS)) {
      try {
        const response = await this.run(op, () =>
          this.api('/$batch').post(disableDevicesBatch(chunk)),
        );
        for (const [id, outcome] of readDisableDevicesResponse(chunk, response, op, this.redact)) {
          results.set(id, outcome);
        }
      } catch (error) {
        for (const id of chunk) results.set(id, error as DirectoryError);
      }
    }
    return results;
  }

  async memberGroups(userId: string, groupIds: string[]): Promise<string[]> {
    const member: string[] = [];
    for (const chunk of chunks([...new Set(groupIds)], MAX_CHECK_GROUPS)) {
      const answer = await this.run(ops.memberGroups, () =>
        this.api(`/users/${encodeURIComponent(userId)}/checkMemberGroups`).post({
          groupIds: chunk,
        }),
      );
      const value = asJson(answer)['value'];
      if (Array.isArray(value))
        member.push(...value.filter((v): v is string => typeof v === 'string'));
    }
    return member;
  }

  /** The cast to users leaves nested groups, devices and service principals to Graph to skip. */
  async listGroupMembers(groupId: string, limit: number): Promise<Person[]> {
    const op = ops.listGroupMembers;
    const wanted = Math.max(0, Math.floor(limit));
    const people: Person[] = [];
    const seen = new Set<string>();
    if (wanted === 0) return people;
    let page = await this.run(op, () =>
      this.api(`/groups/${encodeURIComponent(groupId)}/transitiveMembers/microsoft.graph.user`)
        .select(['id', 'displayName', 'userPrincipalName'])
        .top(Math.min(wanted, this.pageSize))
        .get(),
    );
    for (let pages = 1; ; pages++) {
      const json = asJson(page);
      const value = json['value'];
      for (const item of Array.isArray(value) ? value : []) {
        const person = toPerson(asJson(item));
        if (person.id === '' || seen.has(person.id)) continue;
        seen.add(person.id);
        people.push(person);
        if (people.length >= wanted) return people;
      }
      const next = json['@odata.nextLink'];
      if (typeof next !== 'string' || pages >= MAX_PAGES) return people;
      page = await this.run(op, () => this.api(next).get());
    }
  }

  /**
   * Active role assignments, direct or through role-assignable groups. PIM-eligible roles that are
   * not activated do not appear here.
   */
  async listDirectoryRoles(userId: string): Promise<DirectoryRole[]> {
    const op = ops.listDirectoryRoles;
    const roles: DirectoryRole[] = [];
    let page = await this.run(op, () =>
      this.api(
        `/users/${encodeURIComponent(userId)}/transitiveMemberOf/microsoft.graph.directoryRole`,
      )
        .select(ROLE_SELECT)
        .top(this.pageSize)
        .get(),
    );
    for (let pages = 1; ; pages++) {
      const json = asJson(page);
      const value = json['value'];
      for (const item of Array.isArray(value) ? value : [])
        roles.push(toDirectoryRole(asJson(item)));
      const next = json['@odata.nextLink'];
      if (typeof next !== 'string' || pages >= MAX_PAGES) return roles;
      page = await this.run(op, () => this.api(next).get());
    }
  }

  async getManager(userId: string): Promise<Person | undefined> {
    const json = await this.runOrMissing(ops.getManager, () =>
      this.api(`/users/${encodeURIComponent(userId)}/manager`)
        .select(['id', 'displayName', 'userPrincipalName'])
        .get(),
    );
    return json === undefined ? undefined : toPerson(asJson(json));
  }
}
