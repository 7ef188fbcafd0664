export { SandboxBehaviour } from './behaviour';
export type { FaultOptions, SandboxCall, SandboxOperation } from './behaviour';
export { fromFileTime, toFileTime } from './filetime';
export { SandboxEntraDirectory } from './sandbox-entra';
export { ACCOUNTDISABLE, SandboxOnPremDirectory } from './sandbox-on-prem';
export { bundledTenantPath, createSandboxTenant, loadSandboxTenant } from './sandbox-tenant';
export type { SandboxOptions, SandboxPerson, SandboxTenant } from './sandbox-tenant';
export type * from './tenant-file';
export { SandboxTenantError, validateTenant } from './validate-tenant';
