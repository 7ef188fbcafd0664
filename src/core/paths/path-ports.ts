// The systems an access path reads before approval and acts on in a run: Microsoft's, given to
// every path, and the connectors beyond Microsoft, each under its path's own key.
import type { ContainmentDirectory, OnPremRestore } from '../containment-ports';
import type { AppProvisioning, ScimApps } from '../app-ports';
import type { EntraDirectory, OnPremDirectory } from '../ports';
import type { Connectors } from './connectors';

/** The systems a path may read before approval and act on in a run. */
export interface PathPorts {
  directory: EntraDirectory;
  /** Absent when no AD connection is configured (LDAP_URL). */
  onPrem?: OnPremDirectory;
  onPremRestore?: OnPremRestore;
  /** Absent when the deployment's directory cannot contain or restore. */
  containment?: ContainmentDirectory;
  provisioning?: AppProvisioning;
  scim?: ScimApps;
  /** Systems beyond Microsoft's, each registered under its own key by the composition root. */
  connectors?: Connectors;
}

/** The ports out of a service's dependencies (which hold them among much else). */
export function pathPortsOf(deps: PathPorts): PathPorts {
  const { directory, onPrem, onPremRestore, containment, provisioning, scim, connectors } = deps;
  return { directory, onPrem, onPremRestore, containment, provisioning, scim, connectors };
}
