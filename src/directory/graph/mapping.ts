// Graph JSON → the core's model, defensively: Graph omits properties it has no value for.
import type { Device, DirectoryUser, Person } from '../../core/model';

export type Json = Record<string, unknown>;

export const USER_SELECT = [
  'id',
  'userPrincipalName',
  'displayName',
  'mail',
  'jobTitle',
  'department',
  'accountEnabled',
  'onPremisesSyncEnabled',
  'onPremisesSamAccountName',
  'onPremisesSecurityIdentifier',
  'onPremisesUserPrincipalName',
];

export const DEVICE_SELECT = ['id', 'displayName', 'accountEnabled', 'operatingSystem'];

export const DEVICE_TYPE = '#microsoft.graph.device';

export function asJson(value: unknown): Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Json)
    : {};
}

function str(json: Json, key: string): string | undefined {
  const v = json[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function required(json: Json, key: string): string {
  return str(json, key) ?? '';
}

export function toDirectoryUser(json: Json): DirectoryUser {
  return {
    id: required(json, 'id'),
    userPrincipalName: required(json, 'userPrincipalName'),
    displayName: required(json, 'displayName'),
    mail: str(json, 'mail'),
    jobTitle: str(json, 'jobTitle'),
    department: str(json, 'department'),
    // Graph omits nothing it was asked for, but treat a missing flag as "enabled" (the safe reading
    // for a revocation tool: it will try to disable rather than assume it is done).
    accountEnabled: json['accountEnabled'] !== false,
    onPremisesSyncEnabled: json['onPremisesSyncEnabled'] === true,
    onPremisesSamAccountName: str(json, 'onPremisesSamAccountName'),
    onPremisesSecurityIdentifier: str(json, 'onPremisesSecurityIdentifier'),
    onPremisesUserPrincipalName: str(json, 'onPremisesUserPrincipalName'),
  };
}

export function toDevice(json: Json): Device {
  return {
    id: required(json, 'id'),
    displayName: required(json, 'displayName'),
    accountEnabled: json['accountEnabled'] !== false,
    operatingSystem: str(json, 'operatingSystem'),
  };
}

export function toPerson(json: Json): Person {
  return {
    id: required(json, 'id'),
    name: str(json, 'displayName') ?? str(json, 'userPrincipalName') ?? required(json, 'id'),
    upn: str(json, 'userPrincipalName'),
  };
}
