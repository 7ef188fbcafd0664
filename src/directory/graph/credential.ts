// The one token credential of the process (its token cache lives in the instance, so build it once
// and share it). Its own HTTP retries are off: retrying is withRetry's job alone.
import {
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
  type TokenCredential,
} from '@azure/identity';
import { DirectoryError } from '../../core/errors';
import { isMicrosoftAuthority, PUBLIC_AUTHORITY_HOST, type GraphDirectoryConfig } from './config';

const NO_RETRIES = { maxRetries: 0 };

export function createGraphCredential(config: GraphDirectoryConfig): TokenCredential {
  if (config.managedIdentity) {
    return new ManagedIdentityCredential({
      ...(config.clientId ? { clientId: config.clientId } : {}),
      retryOptions: NO_RETRIES,
    });
  }
  const authorityHost = config.authorityHost ?? PUBLIC_AUTHORITY_HOST;
  if (!config.tenantId || !config.clientId) {
    throw new DirectoryError(
      'misconfigured',
      'The Microsoft Graph tenant id or client id is missing.',
      {
        advice:
          'Set AZURE_TENANT_ID and AZURE_CLIENT_ID to the tenant and the Revoke app registration.',
      },
    );
  }
  const options = {
    authorityHost,
    // MSAL would otherwise ask login.microsoftonline.com to validate a foreign authority and fail.
    disableInstanceDiscovery: !isMicrosoftAuthority(authorityHost),
    retryOptions: NO_RETRIES,
  };
  if (config.certificatePath) {
    return new ClientCertificateCredential(
      config.tenantId,
      config.clientId,
      config.certificatePath,
      options,
    );
  }
  if (config.clientSecret) {
    return new ClientSecretCredential(
      config.tenantId,
      config.clientId,
      config.clientSecret,
      options,
    );
  }
  throw new DirectoryError('misconfigured', 'No Microsoft Graph credential is configured.', {
    advice:
      'Set AZURE_CLIENT_CERTIFICATE_PATH (preferred) or AZURE_CLIENT_SECRET for the Revoke app registration, or run with a managed identity.',
  });
}
