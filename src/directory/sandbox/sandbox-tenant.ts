// Builds the sandbox (both directories over one shared behaviour) from tenant.json.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { systemClock } from '../../core/clock';
import type { Clock } from '../../core/clock';
import type { Person } from '../../core/model';
import { projectRoot } from '../../project-root';
import { SandboxBehaviour } from './behaviour';
import { SandboxEntraDirectory, toPerson } from './sandbox-entra';
import { SandboxContainmentDirectory } from './sandbox-containment';
import { SandboxProvisioning } from './sandbox-provisioning';
import { SandboxOnPremDirectory } from './sandbox-on-prem';
import { SandboxTenantError, validateTenant } from './validate-tenant';

export interface SandboxOptions {
  clock?: Clock;
  /** Delay before every directory call, to make the demo's progress visible. */
  latencyMs?: number;
}

export interface SandboxPerson extends Person {
  jobTitle?: string;
  department?: string;
  /** Who this person is in the demo story. */
  note?: string;
}

export interface SandboxTenant {
  tenantId: string;
  name: string;
  directory: SandboxEntraDirectory;
  onPrem: SandboxOnPremDirectory;
  /** Identity Protection, MFA methods, consents and Intune devices of the demo users. */
  containment: SandboxContainmentDirectory;
  /** On-demand provisioning of whatever PROVISIONING_APPS names. */
  provisioning: SandboxProvisioning;
  approverGroupId: string;
  /** The demo's containment group, used when CONTAINMENT_GROUP_ID is not set. */
  containmentGroupId?: string;
  protectedGroupId: string;
  people: SandboxPerson[];
  /** Latency, fault injection and the call log, shared by both directories. */
  behaviour: SandboxBehaviour;
}

/** The demo tenant shipped with Revoke (sandbox/tenant.json at the repository's top level). */
export function bundledTenantPath(): string {
  return join(projectRoot(), 'sandbox', 'tenant.json');
}

export async function loadSandboxTenant(
  path: string = bundledTenantPath(),
  options: SandboxOptions = {},
): Promise<SandboxTenant> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new SandboxTenantError(path, [`cannot read the file: ${(error as Error).message}`]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new SandboxTenantError(path, [`not valid JSON: ${(error as Error).message}`]);
  }
  return createSandboxTenant(raw, options, path);
}

/** Builds a sandbox from an already-parsed tenant document (validated here). */
export function createSandboxTenant(
  raw: unknown,
  options: SandboxOptions = {},
  source = 'inline tenant',
): SandboxTenant {
  const file = validateTenant(raw, source);
  const clock = options.clock ?? systemClock;
  const behaviour = new SandboxBehaviour(clock, options.latencyMs ?? 0);
  const directory = new SandboxEntraDirectory(file, clock, behaviour);
  return {
    tenantId: file.tenant.id,
    name: file.tenant.name,
    directory,
    containment: new SandboxContainmentDirectory(file, clock, directory, behaviour),
    provisioning: new SandboxProvisioning(directory, behaviour),
    ...(file.roles.containmentGroupId === undefined
      ? {}
      : { containmentGroupId: file.roles.containmentGroupId }),
    onPrem: new SandboxOnPremDirectory(file, clock, behaviour),
    approverGroupId: file.roles.approverGroupId,
    protectedGroupId: file.roles.protectedGroupId,
    people: file.users.map((seed) => {
      const person: SandboxPerson = toPerson(seed);
      if (seed.jobTitle !== undefined) person.jobTitle = seed.jobTitle;
      if (seed.department !== undefined) person.department = seed.department;
      if (seed.note !== undefined) person.note = seed.note;
      return person;
    }),
    behaviour,
  };
}
