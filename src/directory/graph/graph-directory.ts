// EntraDirectory on Microsoft Graph v1.0. Every call is bounded by a timeout and every failure leaves as
// a DirectoryError; nothing here retries (withRetry is the one retry layer).
import type { Client, GraphRequest } from '@microsoft/microsoft-graph-client';
import { DirectoryError } from '../../core/errors';
import type { Device, DirectoryRole, DirectoryUser, Person } from '../../core/model';
import type { EntraDirectory } from '../../core/ports';
import { DEFAULT_TIMEOUT_MS, PUBLIC_GRAPH_BASE_URL } from './config';
import {
  disableDevicesBatch,
  MAX_BATCH_REQUESTS,
  readDisableDevicesResponse,
} from './device-batch';
import { toDirectoryError } from './graph-errors';
import { readWritesResponse, writesBatch } from './write-batch';
import type { BatchedWrite } from '../../core/batch/write-batcher';
import {
  asJson,
  type Json,
  DEVICE_SELECT,
  DEVICE_TYPE,
  toDevice,
  toDirectoryUser,
  toPerson,
  USER_SELECT,
} from './mapping';
import { odataEq } from './odata';
import { GRAPH_OPERATIONS, type GraphOperation } from './permissions';
import { makeRedactor, type Redactor } from './redact';
import { RoleHoldings } from './role-holdings';

export interface GraphDirectoryOptions {
  timeoutMs?: number;
  /** Page size for registeredDevices (Graph allows 1–999; its default is 100). */
  pageSize?: number;
  /** Pages one listing may take before it fails as TooManyPages (default 1000). */
  maxPages?: number;
  /**
   * The Graph origin the client talks to (default the public cloud). Graph resolves @odata.id
   * references only against its own host, so bodies that carry one must name this origin.
   */
  graphOrigin?: string;
  /** Values to scrub from any error text (the client secret). */
  secrets?: readonly (string | undefined)[];
}

const MAX_CHECK_GROUPS = 20;
const BACKSTOP_MARGIN_MS = 250;
/** Far past any real user's devices, grants or roles: a longer nextLink chain is a runaway. */
const DEFAULT_MAX_PAGES = 1000;

const ops = GRAPH_OPERATIONS;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** UPNs with these characters cannot be used as a path key (`#EXT#` guests, `$`-prefixed). */
const UNSAFE_KEY = /[#$/?%\\]/;

export class GraphDirectory implements EntraDirectory {
  private readonly timeoutMs: number;
  private readonly pageSize: number;
  private readonly maxPages: number;
  protected readonly graphOrigin: string;
  protected readonly redact: Redactor;
  private readonly roleHoldings: RoleHoldings;

  constructor(
    private readonly client: Client,
    options: GraphDirectoryOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.pageSize = options.pageSize ?? 100;
    this.maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
    this.graphOrigin = new URL(options.graphOrigin ?? PUBLIC_GRAPH_BASE_URL).origin;
    this.redact = makeRedactor(options.secrets ?? []);
    this.roleHoldings = new RoleHoldings(
      {
        api: (path) => this.api(path),
        eachItem: (op, first, visit) => this.eachItem(op, first, visit),
      },
      this.pageSize,
    );
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

  /**
   * Visits every item of a collection, following nextLink, until `visit` answers 'stop'. A chain
   * longer than maxPages fails rather than ending early: callers act on the list as complete (every
   * device disabled, every grant removed), so a silently cut list would leave access behind.
   */
  protected async eachItem(
    op: GraphOperation,
    first: () => GraphRequest,
    visit: (item: Json) => 'stop' | void,
  ): Promise<void> {
    let page = await this.run(op, () => first().get());
    for (let pages = 1; ; pages++) {
      const json = asJson(page);
      const value = json['value'];
      for (const item of Array.isArray(value) ? value : []) {
        if (visit(asJson(item)) === 'stop') return;
      }
      const next = json['@odata.nextLink'];
      if (typeof next !== 'string') return;
      if (pages >= this.maxPages) {
        throw new DirectoryError(
          'rejected',
          `${op.action} returned more than ${this.maxPages} pages; Revoke will not act on a partial list.`,
          { code: 'TooManyPages' },
        );
      }
      page = await this.run(op, () => this.api(next).get());
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
      const byUpn = await this.onlyWhere(op, 'userPrincipalName', key);
      if (byUpn) return byUpn;
    }
    return this.onlyWhere(op, 'mail', key);
  }

  /**
   * The one user whose property equals value. mail is not unique in Entra ID, and revoking the
   * wrong person's access is worse than asking for a UPN: two matches fail instead of guessing.
   */
  private async onlyWhere(
    op: GraphOperation,
    property: string,
    value: string,
  ): Promise<DirectoryUser | undefined> {
    const page = await this.run(op, () =>
      this.api('/users').filter(odataEq(property, value)).select(USER_SELECT).top(2).get(),
    );
    const json = asJson(page);
    const list = json['value'];
    const users: unknown[] = Array.isArray(list) ? list : [];
    if (users.length > 1) {
      // $top=2 is enough to know it is ambiguous; a nextLink says there are more still.
      const more = typeof json['@odata.nextLink'] === 'string' ? ' or more' : '';
      throw new DirectoryError(
        'rejected',
        `${users.length}${more} users have ${property} ${value}; Revoke will not guess which one is meant.`,
        {
          code: 'AmbiguousUser',
          advice: 'Name the user by userPrincipalName or object id instead.',
        },
      );
    }
    const only = users[0];
    return only === undefined ? undefined : toDirectoryUser(asJson(only));
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
    const devices: Device[] = [];
    await this.eachItem(
      ops.listRegisteredDevices,
      () =>
        this.api(`/users/${encodeURIComponent(userId)}/registeredDevices`)
          .select(DEVICE_SELECT)
          .top(this.pageSize),
      (entry) => {
        // registeredDevices is a directoryObject collection; keep only devices.
        if (entry['@odata.type'] === DEVICE_TYPE) devices.push(toDevice(entry));
      },
    );
    return devices;
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

  /** Resolves only on Graph's documented answer, `value: true`; anything else is an error. */
  async revokeSignInSessions(userId: string): Promise<void> {
    const op = ops.revokeSignInSessions;
    const answer = await this.run(op, () =>
      this.api(`/users/${encodeURIComponent(userId)}/revokeSignInSessions`).post({}),
    );
    if (asJson(answer)['value'] !== true) {
      throw new DirectoryError(
        'transient',
        'Graph answered revokeSignInSessions without value=true.',
        {
          code: 'InvalidResponse',
        },
      );
    }
  }

  async getSignInSessionsValidFrom(userId: string): Promise<string | undefined> {
    const op = ops.getUser;
    const user = asJson(
      await this.run(op, () =>
        this.api(`/users/${encodeURIComponent(userId)}`)
          .select(['signInSessionsValidFromDateTime'])
          .get(),
      ),
    );
    const validFrom = user['signInSessionsValidFromDateTime'];
    if (validFrom === null || validFrom === undefined) return undefined;
    // A value that is not a time would otherwise be shown as one, or compared as one.
    if (typeof validFrom !== 'string' || Number.isNaN(Date.parse(validFrom))) {
      throw new DirectoryError(
        'transient',
        'Graph answered a signInSessionsValidFromDateTime that is not a time.',
        { code: 'InvalidResponse' },
      );
    }
    return validFrom;
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

  /**
   * Independent writes (of different users) in one $batch round trip per 20. Per write, in order:
   * undefined when done, else its own error (a throttled one with its Retry-After). A failure of
   * the batch request itself is reported against every write it carried.
   */
  async writeMany(writes: readonly BatchedWrite[]): Promise<(DirectoryError | undefined)[]> {
    const results: (DirectoryError | undefined)[] = [];
    for (const chunk of chunks(writes, MAX_BATCH_REQUESTS)) {
      try {
        const first = chunk[0];
        const op = first ? ops[first.kind] : ops.disableUser;
        const response = await this.run(op, () => this.api('/$batch').post(writesBatch(chunk)));
        results.push(...readWritesResponse(chunk, response, this.redact));
      } catch (error) {
        results.push(...chunk.map(() => error as DirectoryError));
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
    const wanted = Math.max(0, Math.floor(limit));
    const people: Person[] = [];
    const seen = new Set<string>();
    if (wanted === 0) return people;
    await this.eachItem(
      ops.listGroupMembers,
      () =>
        this.api(`/groups/${encodeURIComponent(groupId)}/transitiveMembers/microsoft.graph.user`)
          .select(['id', 'displayName', 'userPrincipalName'])
          .top(Math.min(wanted, this.pageSize)),
      (item) => {
        const person = toPerson(item);
        if (person.id === '' || seen.has(person.id)) return;
        seen.add(person.id);
        people.push(person);
        return people.length >= wanted ? 'stop' : undefined;
      },
    );
    return people;
  }

  /**
   * Active role assignments and PIM eligibilities, the user's own and those of the role-assignable
   * groups the user is in, each with its definition's isPrivileged flag.
   */
  listDirectoryRoles(userId: string): Promise<DirectoryRole[]> {
    return this.roleHoldings.of(userId);
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
