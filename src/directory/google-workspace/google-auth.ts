// The service account's credential: a JWT signed with its key, exchanged at the token endpoint for
// an access token on behalf of an administrator (domain-wide delegation: `subject`).
//
// google-auth-library 10's JWT client sends the exchange through gtoken, which has the token URL
// built in and no option to change it. Its `transporter` (a Gaxios instance) is how every request
// of the client goes out, and a request interceptor on it is the hook the library offers: it
// sends the exchange to the key file's token_uri (a Private Service Connect endpoint, or a test
// stand-in) and turns off the retries gtoken asks for, so Revoke's one retry layer decides.
import { JWT } from 'google-auth-library';
import { GOOGLE_TOKEN_URL, type ServiceAccountKey } from './service-account-key';

/** Signs users out (users.signOut). */
export const SECURITY_SCOPE = 'https://www.googleapis.com/auth/admin.directory.user.security';
/** Reads, searches and suspends users (users.get, users.list, users.update). */
export const USER_SCOPE = 'https://www.googleapis.com/auth/admin.directory.user';
export const GOOGLE_SCOPES = [USER_SCOPE, SECURITY_SCOPE] as const;

export const REQUEST_TIMEOUT_MS = 15_000;

export function createGoogleCredential(key: ServiceAccountKey, subject: string): JWT {
  const jwt = new JWT({
    email: key.clientEmail,
    key: key.privateKey,
    ...(key.privateKeyId === undefined ? {} : { keyId: key.privateKeyId }),
    subject,
    scopes: [...GOOGLE_SCOPES],
  });
  jwt.transporter.interceptors.request.add({
    resolved: (config) => {
      if (config.url.href === GOOGLE_TOKEN_URL && key.tokenUri !== GOOGLE_TOKEN_URL)
        config.url = new URL(key.tokenUri);
      // No retry below Revoke's: gtoken retries the exchange on 429 and 5xx otherwise.
      config.retry = false;
      config.retryConfig = { ...config.retryConfig, retry: 0, noResponseRetries: 0 };
      config.timeout ??= REQUEST_TIMEOUT_MS;
      return Promise.resolve(config);
    },
  });
  return jwt;
}
