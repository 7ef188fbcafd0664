// Builds the Graph directory from configuration: one credential, one client, one directory.
// Call once per process and share the result (the token cache lives in the credential).
import type { TokenCredential } from '@azure/identity';
import { createGraphClient } from './client';
import { graphOrigin, type GraphDirectoryConfig } from './config';
import { createGraphCredential } from './credential';
import { GraphContainmentDirectory } from './graph-containment-directory';

// Pass the credential when something else (the readiness probe) must share its token cache.
export function createGraphDirectory(
  config: GraphDirectoryConfig,
  credential: TokenCredential = createGraphCredential(config),
): GraphContainmentDirectory {
  const client = createGraphClient(credential, config);
  return new GraphContainmentDirectory(client, {
    timeoutMs: config.timeoutMs,
    graphOrigin: graphOrigin(config),
    secrets: [config.clientSecret],
  });
}

export { GraphDirectory, type GraphDirectoryOptions } from './graph-directory';
export { GraphContainmentDirectory } from './graph-containment-directory';
export { createGraphClient } from './client';
export { createGraphCredential } from './credential';
export { PUBLIC_AUTHORITY_HOST, PUBLIC_GRAPH_BASE_URL, type GraphDirectoryConfig } from './config';
export { GRAPH_OPERATIONS, permissionAdvice } from './permissions';
