// The Graph client with a hand-built middleware chain: authentication, telemetry, fetch. The SDK's
// RetryHandler (and RedirectHandler) are left out on purpose so that withRetry is the only layer
// that waits and retries; otherwise waits would multiply.
import type { TokenCredential } from '@azure/identity';
import {
  AuthenticationHandler,
  Client,
  GraphClientError,
  HTTPMessageHandler,
  TelemetryHandler,
  type AuthenticationProvider,
} from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials';
import { graphOrigin, type GraphDirectoryConfig } from './config';

/**
 * Token failures would otherwise be flattened by the SDK into a GraphError that keeps only the
 * message; wrapping them in a GraphClientError (which the SDK rethrows untouched) keeps the
 * credential's own error for translation.
 */
class CredentialFailureKeeper implements AuthenticationProvider {
  constructor(private readonly inner: AuthenticationProvider) {}

  async getAccessToken(): Promise<string> {
    try {
      return await this.inner.getAccessToken();
    } catch (error) {
      const wrapped = new GraphClientError('Could not get an access token for Microsoft Graph.');
      wrapped.customError = error;
      throw wrapped;
    }
  }
}

export function createGraphClient(
  credential: TokenCredential,
  config: GraphDirectoryConfig,
): Client {
  const origin = graphOrigin(config);
  const provider = new TokenCredentialAuthenticationProvider(credential, {
    scopes: [`${origin}/.default`],
  });
  return Client.initWithMiddleware({
    middleware: [
      new AuthenticationHandler(new CredentialFailureKeeper(provider)),
      new TelemetryHandler(),
      new HTTPMessageHandler(),
    ],
    baseUrl: origin,
    defaultVersion: 'v1.0',
    // The SDK attaches the bearer token only to Microsoft's Graph hosts and these.
    customHosts: new Set([new URL(origin).hostname]),
  });
}
