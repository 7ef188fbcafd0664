// Which directory roles a user holds or may activate, read from Entra ID's role management API:
// active assignments (`roleAssignments`, which include roles activated through PIM) and PIM
// eligibilities (`roleEligibilityScheduleInstances`), each for the user and for every
// role-assignable group the user is in. Whether a role is privileged is the role definition's own
// `isPrivileged` flag; the definitions change rarely, so they are read once and cached.
import type { GraphRequest } from '@microsoft/microsoft-graph-client';
import { DirectoryError } from '../../core/errors';
import type { DirectoryRole } from '../../core/model';
import type { Json } from './mapping';
import { odataEq } from './odata';
import { GRAPH_OPERATIONS, type GraphOperation } from './permissions';

/** What the role reader needs from the Graph directory: requests and paging. */
export interface RolePaging {
  api(path: string): GraphRequest;
  eachItem(
    op: GraphOperation,
    first: () => GraphRequest,
    visit: (item: Json) => void,
  ): Promise<void>;
}

interface RoleDefinition {
  displayName?: string;
  templateId?: string;
  isPrivileged?: boolean;
}

/** A principal that can hold roles: the user, or a role-assignable group (named on the card). */
interface Principal {
  id: string;
  groupName?: string;
}

const ops = GRAPH_OPERATIONS;
/** How long the role definitions are trusted before they are read again. */
const DEFINITIONS_TTL_MS = 60 * 60_000;

export class RoleHoldings {
  private definitions: { at: number; byId: Map<string, RoleDefinition> } | undefined;

  constructor(
    private readonly graph: RolePaging,
    private readonly pageSize: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The user's roles. When Graph refuses to say (the app lacks RoleManagement.Read.Directory, the
   * tenant has no licence for PIM), the answer is one unidentified role, which counts as
   * privileged: an emergency revocation must not be blocked, nor the roles taken as none.
   */
  async of(userId: string): Promise<DirectoryRole[]> {
    try {
      return await this.read(userId);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      return [unreadable('directory roles', error)];
    }
  }

  private async read(userId: string): Promise<DirectoryRole[]> {
    const principals: Principal[] = [{ id: userId }, ...(await this.roleAssignableGroups(userId))];
    const definitions = await this.roleDefinitions();
    const roles: DirectoryRole[] = [];
    let eligibilitiesUnreadable = false;
    for (const principal of principals) {
      for (const [op, path, assignment] of [
        [ops.listRoleAssignments, '/roleManagement/directory/roleAssignments', 'active'],
        [
          ops.listRoleEligibilities,
          '/roleManagement/directory/roleEligibilityScheduleInstances',
          'eligible',
        ],
      ] as const) {
        if (assignment === 'eligible' && eligibilitiesUnreadable) continue;
        const reading = this.graph.eachItem(
          op,
          () =>
            this.graph
              .api(path)
              .filter(odataEq('principalId', principal.id))
              .select(['id', 'roleDefinitionId', 'principalId', 'directoryScopeId']),
          (item) => {
            const id = typeof item['roleDefinitionId'] === 'string' ? item['roleDefinitionId'] : '';
            roles.push(toRole(id, definitions.get(id), assignment, principal.groupName));
          },
        );
        if (assignment === 'active') {
          await reading;
          continue;
        }
        try {
          await reading;
        } catch (error) {
          // PIM needs Entra ID P2 (or Governance) and its own read permission; without them the
          // eligibilities cannot be known. That must not block an emergency revocation, nor be
          // taken as "none": it counts as a privileged role, and the card says which.
          if (!isRefusal(error)) throw error;
          eligibilitiesUnreadable = true;
          roles.push(unreadable('PIM role eligibilities', error));
        }
      }
    }
    return roles;
  }

  /**
   * The role-assignable groups the user is in (such groups cannot be nested, but the transitive
   * listing costs nothing more). Not cast to microsoft.graph.group, nor filtered on
   * isAssignableToRole in the query: Graph serves both only as advanced queries (ConsistencyLevel:
   * eventual). A group whose properties come back hidden (Graph's "limited information" when the
   * app may not read groups) is kept: it might hold a role, and asking costs two calls.
   */
  private async roleAssignableGroups(userId: string): Promise<Principal[]> {
    const groups: Principal[] = [];
    await this.graph.eachItem(
      ops.listRoleAssignableGroups,
      () =>
        this.graph
          .api(`/users/${encodeURIComponent(userId)}/transitiveMemberOf`)
          .select(['id', 'displayName', 'isAssignableToRole'])
          .top(this.pageSize),
      (item) => {
        if (item['@odata.type'] !== '#microsoft.graph.group') return;
        if (item['isAssignableToRole'] === false || typeof item['id'] !== 'string') return;
        const name = typeof item['displayName'] === 'string' ? item['displayName'] : item['id'];
        groups.push({ id: item['id'], groupName: name });
      },
    );
    return groups;
  }

  private async roleDefinitions(): Promise<Map<string, RoleDefinition>> {
    const cached = this.definitions;
    if (cached && this.now() - cached.at < DEFINITIONS_TTL_MS) return cached.byId;
    const byId = new Map<string, RoleDefinition>();
    await this.graph.eachItem(
      ops.listRoleDefinitions,
      () =>
        this.graph
          .api('/roleManagement/directory/roleDefinitions')
          .select(['id', 'displayName', 'templateId', 'isPrivileged']),
      (item) => {
        if (typeof item['id'] !== 'string') return;
        const definition: RoleDefinition = {};
        if (typeof item['displayName'] === 'string') definition.displayName = item['displayName'];
        if (typeof item['templateId'] === 'string') definition.templateId = item['templateId'];
        if (typeof item['isPrivileged'] === 'boolean')
          definition.isPrivileged = item['isPrivileged'];
        byId.set(item['id'], definition);
      },
    );
    this.definitions = { at: this.now(), byId };
    return byId;
  }
}

/** A definition Revoke could not find (or whose flag is missing) leaves isPrivileged unset. */
function toRole(
  id: string,
  definition: RoleDefinition | undefined,
  assignment: 'active' | 'eligible',
  viaGroup: string | undefined,
): DirectoryRole {
  const role: DirectoryRole = { id, assignment };
  if (definition?.displayName !== undefined) role.displayName = definition.displayName;
  if (definition?.templateId !== undefined) role.roleTemplateId = definition.templateId;
  if (definition?.isPrivileged !== undefined) role.isPrivileged = definition.isPrivileged;
  if (viaGroup !== undefined) role.viaGroup = viaGroup;
  return role;
}

/** Graph will not answer this app (permission, licence): retrying or waiting will not help. */
function isRefusal(error: unknown): error is DirectoryError {
  return (
    error instanceof DirectoryError && (error.kind === 'permission' || error.kind === 'rejected')
  );
}

/** A stand-in for roles Graph would not list: no flag, so it counts as privileged. */
function unreadable(what: string, error: DirectoryError): DirectoryRole {
  return { id: '', displayName: `${what}, which could not be read (${error.code ?? error.kind})` };
}
