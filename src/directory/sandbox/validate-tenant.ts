// Checks a parsed tenant.json and reports every problem at once, each with the path of the field
// and the user or group it belongs to, so a hand-edited file is quick to fix.
import type {
  SandboxAuthMethodSeed,
  SandboxManagedDeviceSeed,
  SandboxDeviceSeed,
  SandboxGroupSeed,
  SandboxOnPremSeed,
  SandboxRoleSeed,
  SandboxTenantFile,
  SandboxUserSeed,
} from './tenant-file';

export class SandboxTenantError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(
      `Invalid sandbox tenant (${source}): ${problems.length} problem(s)\n` +
        problems.map((p) => `  - ${p}`).join('\n'),
    );
    this.name = 'SandboxTenantError';
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UPN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DOMAIN_SID = /^S-1-5-21-\d+-\d+-\d+-\d+$/;
// AD forbids these in sAMAccountName, and caps it at 20 characters.
const SAM = /^[^"/\\[\]:;|=,+*?<>@\s]{1,20}$/;
const FILETIME = /^\d{1,19}$/;
const UAC_MAX = 0xffffffff;

type Json = Record<string, unknown>;

class Reader {
  readonly problems: string[] = [];

  problem(path: string, message: string): void {
    this.problems.push(`${path}: ${message}`);
  }

  object(value: unknown, path: string, allowed: readonly string[]): Json | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.problem(path, 'expected an object');
      return undefined;
    }
    for (const key of Object.keys(value)) {
      if (key !== '$comment' && !allowed.includes(key)) {
        this.problem(path, `unknown field "${key}" (expected one of: ${allowed.join(', ')})`);
      }
    }
    return value as Json;
  }

  array(value: unknown, path: string, optional = false): unknown[] {
    if (value === undefined && optional) return [];
    if (!Array.isArray(value)) {
      this.problem(path, 'expected an array');
      return [];
    }
    return value;
  }

  string(parent: Json, key: string, path: string, pattern?: RegExp, what?: string): string {
    const value = parent[key];
    if (typeof value !== 'string' || value.trim() === '') {
      this.problem(
        `${path}.${key}`,
        value === undefined ? 'is required' : 'expected a non-empty string',
      );
      return '';
    }
    if (pattern && !pattern.test(value)) {
      this.problem(`${path}.${key}`, `${JSON.stringify(value)} is not ${what ?? 'valid'}`);
    }
    return value;
  }

  optionalString(parent: Json, key: string, path: string, pattern?: RegExp, what?: string) {
    return parent[key] === undefined ? undefined : this.string(parent, key, path, pattern, what);
  }

  boolean(parent: Json, key: string, path: string, fallback: boolean): boolean {
    const value = parent[key];
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') {
      this.problem(`${path}.${key}`, 'expected true or false');
      return fallback;
    }
    return value;
  }
}

export function validateTenant(raw: unknown, source: string): SandboxTenantFile {
  const r = new Reader();
  const root = r.object(raw, '(root)', ['tenant', 'roles', 'users', 'groups']) ?? {};
  const tenantJson = r.object(root['tenant'], 'tenant', ['id', 'name', 'defaultDomain']) ?? {};
  const tenant = {
    id: r.string(tenantJson, 'id', 'tenant', GUID, 'a GUID'),
    name: r.string(tenantJson, 'name', 'tenant'),
    defaultDomain: r.string(tenantJson, 'defaultDomain', 'tenant'),
  };
  const rolesJson =
    r.object(root['roles'], 'roles', [
      'approverGroupId',
      'protectedGroupId',
      'containmentGroupId',
    ]) ?? {};
  const roles: SandboxTenantFile['roles'] = {
    approverGroupId: r.string(rolesJson, 'approverGroupId', 'roles', GUID, 'a GUID'),
    protectedGroupId: r.string(rolesJson, 'protectedGroupId', 'roles', GUID, 'a GUID'),
  };
  const containmentGroupId = r.optionalString(
    rolesJson,
    'containmentGroupId',
    'roles',
    GUID,
    'a GUID',
  );
  if (containmentGroupId !== undefined) roles.containmentGroupId = containmentGroupId;
  const users = r.array(root['users'], 'users').map((u, i) => readUser(r, u, i));
  const groups = r.array(root['groups'], 'groups').map((g, i) => readGroup(r, g, i));
  checkReferences(r, users, groups, roles);
  if (r.problems.length > 0) throw new SandboxTenantError(source, r.problems);
  return { tenant, roles, users, groups };
}

function userLabel(value: unknown, index: number): string {
  const upn = (value as Json | null)?.['userPrincipalName'];
  return typeof upn === 'string' ? `users[${index}] (${upn})` : `users[${index}]`;
}

function readUser(r: Reader, value: unknown, index: number): SandboxUserSeed {
  const path = userLabel(value, index);
  const json =
    r.object(value, path, [
      'id',
      'userPrincipalName',
      'displayName',
      'mail',
      'jobTitle',
      'department',
      'accountEnabled',
      'managerId',
      'channelAccountId',
      'note',
      'devices',
      'directoryRoles',
      'onPremises',
      'riskState',
      'authMethods',
      'oauthGrants',
      'managedDevices',
    ]) ?? {};
  const user: SandboxUserSeed = {
    id: r.string(json, 'id', path, GUID, 'a GUID'),
    userPrincipalName: r.string(json, 'userPrincipalName', path, UPN, 'a user principal name'),
    displayName: r.string(json, 'displayName', path),
    accountEnabled: r.boolean(json, 'accountEnabled', path, true),
    devices: r
      .array(json['devices'], `${path}.devices`, true)
      .map((d, i) => readDevice(r, d, `${path}.devices[${i}]`)),
    directoryRoles: r
      .array(json['directoryRoles'], `${path}.directoryRoles`, true)
      .map((role, i) => readRole(r, role, `${path}.directoryRoles[${i}]`)),
    ...readContainment(r, json, path),
  };
  const optional = {
    mail: r.optionalString(json, 'mail', path, UPN, 'an email address'),
    jobTitle: r.optionalString(json, 'jobTitle', path),
    department: r.optionalString(json, 'department', path),
    managerId: r.optionalString(json, 'managerId', path, GUID, 'a GUID'),
    channelAccountId: r.optionalString(json, 'channelAccountId', path),
    note: r.optionalString(json, 'note', path),
    riskState: r.optionalString(json, 'riskState', path, RISK_STATE, 'a risk state'),
  };
  for (const [key, v] of Object.entries(optional)) {
    if (v !== undefined) Object.assign(user, { [key]: v });
  }
  if (json['onPremises'] !== undefined) {
    user.onPremises = readOnPrem(
      r,
      json['onPremises'],
      `${path}.onPremises`,
      user.userPrincipalName,
    );
  }
  return user;
}

const ASSIGNMENT = /^(active|eligible)$/;
const RISK_STATE = /^(none|atRisk|confirmedCompromised|remediated|dismissed|confirmedSafe)$/;

function readContainment(
  r: Reader,
  json: Json,
  path: string,
): Pick<SandboxUserSeed, 'authMethods' | 'oauthGrants' | 'managedDevices'> {
  const at = (key: string, i: number) => `${path}.${key}[${i}]`;
  return {
    authMethods: r.array(json['authMethods'], `${path}.authMethods`, true).map((m, i) => {
      const o = r.object(m, at('authMethods', i), ['id', 'type', 'label', 'createdDaysAgo']) ?? {};
      const seed: SandboxAuthMethodSeed = {
        id: r.string(o, 'id', at('authMethods', i), GUID, 'a GUID'),
        type: r.string(
          o,
          'type',
          at('authMethods', i),
          /^[a-zA-Z0-9]+AuthenticationMethod$/,
          'a Graph method type',
        ),
        label: r.string(o, 'label', at('authMethods', i)),
      };
      const days = o['createdDaysAgo'];
      if (days !== undefined) {
        if (typeof days !== 'number' || !Number.isInteger(days) || days < 0)
          r.problem(`${at('authMethods', i)}.createdDaysAgo`, 'expected a whole number of days');
        else seed.createdDaysAgo = days;
      }
      return seed;
    }),
    oauthGrants: r.array(json['oauthGrants'], `${path}.oauthGrants`, true).map((g, i) => {
      const o = r.object(g, at('oauthGrants', i), ['id', 'clientId', 'appName', 'scope']) ?? {};
      return {
        id: r.string(o, 'id', at('oauthGrants', i)),
        clientId: r.string(o, 'clientId', at('oauthGrants', i), GUID, 'a GUID'),
        appName: r.string(o, 'appName', at('oauthGrants', i)),
        scope: r.string(o, 'scope', at('oauthGrants', i)),
      };
    }),
    managedDevices: r.array(json['managedDevices'], `${path}.managedDevices`, true).map((d, i) => {
      const o =
        r.object(d, at('managedDevices', i), [
          'id',
          'deviceName',
          'operatingSystem',
          'managementState',
        ]) ?? {};
      const seed: SandboxManagedDeviceSeed = {
        id: r.string(o, 'id', at('managedDevices', i), GUID, 'a GUID'),
        deviceName: r.string(o, 'deviceName', at('managedDevices', i)),
        managementState:
          r.optionalString(o, 'managementState', at('managedDevices', i)) ?? 'managed',
      };
      const os = r.optionalString(o, 'operatingSystem', at('managedDevices', i));
      if (os !== undefined) seed.operatingSystem = os;
      return seed;
    }),
  };
}

function readRole(r: Reader, value: unknown, path: string): SandboxRoleSeed {
  const json =
    r.object(value, path, ['roleTemplateId', 'displayName', 'isPrivileged', 'assignment']) ?? {};
  const assignment = r.optionalString(
    json,
    'assignment',
    path,
    ASSIGNMENT,
    '"active" or "eligible"',
  );
  return {
    roleTemplateId: r.string(json, 'roleTemplateId', path, GUID, 'a role template id (GUID)'),
    displayName: r.string(json, 'displayName', path),
    // Required: the flag is the role definition's, and guessing it would hide a privileged role.
    isPrivileged: requiredFlag(r, json, 'isPrivileged', path),
    assignment: assignment === 'eligible' ? 'eligible' : 'active',
  };
}

function requiredFlag(r: Reader, json: Json, key: string, path: string): boolean {
  if (json[key] === undefined) {
    r.problem(`${path}.${key}`, 'missing (true or false, as the role definition says)');
    return true;
  }
  return r.boolean(json, key, path, true);
}

function readDevice(r: Reader, value: unknown, path: string): SandboxDeviceSeed {
  const json =
    r.object(value, path, ['id', 'displayName', 'operatingSystem', 'accountEnabled']) ?? {};
  const device: SandboxDeviceSeed = {
    id: r.string(json, 'id', path, GUID, 'a GUID'),
    displayName: r.string(json, 'displayName', path),
    accountEnabled: r.boolean(json, 'accountEnabled', path, true),
  };
  const os = r.optionalString(json, 'operatingSystem', path);
  if (os !== undefined) device.operatingSystem = os;
  return device;
}

function readOnPrem(r: Reader, value: unknown, path: string, cloudUpn: string): SandboxOnPremSeed {
  const json =
    r.object(value, path, [
      'dn',
      'samAccountName',
      'securityIdentifier',
      'userPrincipalName',
      'userAccountControl',
      'pwdLastSet',
    ]) ?? {};
  const uac = json['userAccountControl'];
  if (typeof uac !== 'number' || !Number.isInteger(uac) || uac < 0 || uac > UAC_MAX) {
    r.problem(`${path}.userAccountControl`, 'expected an unsigned 32-bit integer (e.g. 512)');
  }
  return {
    dn: r.string(json, 'dn', path, /^[A-Za-z]+=.+,DC=/i, 'a distinguished name (CN=…,DC=…)'),
    samAccountName: r.string(json, 'samAccountName', path, SAM, 'a valid sAMAccountName'),
    securityIdentifier: r.string(json, 'securityIdentifier', path, DOMAIN_SID, 'a domain SID'),
    userPrincipalName:
      r.optionalString(json, 'userPrincipalName', path, UPN, 'a user principal name') ?? cloudUpn,
    userAccountControl: typeof uac === 'number' ? uac : 0,
    pwdLastSet: r.string(json, 'pwdLastSet', path, FILETIME, 'a FILETIME decimal string'),
  };
}

function readGroup(r: Reader, value: unknown, index: number): SandboxGroupSeed {
  const name = (value as Json | null)?.['displayName'];
  const path = typeof name === 'string' ? `groups[${index}] (${name})` : `groups[${index}]`;
  const json = r.object(value, path, ['id', 'displayName', 'members']) ?? {};
  const members = r.array(json['members'], `${path}.members`).flatMap((m, i) => {
    if (typeof m === 'string' && GUID.test(m)) return [m];
    r.problem(`${path}.members[${i}]`, 'expected a user or group id (GUID)');
    return [];
  });
  return {
    id: r.string(json, 'id', path, GUID, 'a GUID'),
    displayName: r.string(json, 'displayName', path),
    members,
  };
}

function checkReferences(
  r: Reader,
  users: SandboxUserSeed[],
  groups: SandboxGroupSeed[],
  roles: SandboxTenantFile['roles'],
): void {
  const unique = (what: string, values: [string, string][], caseInsensitive = true) => {
    const seen = new Map<string, string>();
    for (const [owner, value] of values) {
      if (value === '') continue;
      const k = caseInsensitive ? value.toLowerCase() : value;
      const first = seen.get(k);
      if (first !== undefined)
        r.problem(owner, `${what} ${JSON.stringify(value)} is already used by ${first}`);
      else seen.set(k, owner);
    }
  };
  const label = (u: SandboxUserSeed, i: number) => `users[${i}] (${u.userPrincipalName})`;
  unique('object id', [
    ...users.map((u, i): [string, string] => [label(u, i), u.id]),
    ...groups.map((g, i): [string, string] => [`groups[${i}] (${g.displayName})`, g.id]),
    ...users.flatMap((u, i) =>
      u.devices.map((d, j): [string, string] => [`${label(u, i)}.devices[${j}]`, d.id]),
    ),
  ]);
  unique(
    'userPrincipalName',
    users.map((u, i) => [label(u, i), u.userPrincipalName]),
  );
  unique(
    'mail',
    users.flatMap((u, i): [string, string][] => (u.mail ? [[label(u, i), u.mail]] : [])),
  );
  const onPrem = users.flatMap((u, i) =>
    u.onPremises ? [[label(u, i), u.onPremises] as const] : [],
  );
  unique(
    'dn',
    onPrem.map(([l, o]) => [l, o.dn]),
  );
  unique(
    'samAccountName',
    onPrem.map(([l, o]) => [l, o.samAccountName]),
  );
  unique(
    'securityIdentifier',
    onPrem.map(([l, o]) => [l, o.securityIdentifier]),
  );

  const userIds = new Set(users.map((u) => u.id.toLowerCase()));
  const groupIds = new Set(groups.map((g) => g.id.toLowerCase()));
  users.forEach((u, i) => {
    if (u.managerId === undefined) return;
    if (!userIds.has(u.managerId.toLowerCase())) {
      r.problem(`${label(u, i)}.managerId`, `no user has id ${u.managerId}`);
    } else if (u.managerId.toLowerCase() === u.id.toLowerCase()) {
      r.problem(`${label(u, i)}.managerId`, 'a user cannot be their own manager');
    }
  });
  groups.forEach((g, i) =>
    g.members.forEach((m, j) => {
      const id = m.toLowerCase();
      if (!userIds.has(id) && !groupIds.has(id)) {
        r.problem(`groups[${i}] (${g.displayName}).members[${j}]`, `no user or group has id ${m}`);
      }
    }),
  );
  for (const key of ['approverGroupId', 'protectedGroupId', 'containmentGroupId'] as const) {
    const id = roles[key];
    if (id !== undefined && id !== '' && !groupIds.has(id.toLowerCase())) {
      r.problem(`roles.${key}`, `no group has id ${roles[key]}`);
    }
  }
}
