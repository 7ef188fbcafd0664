// The SDK's HTTP layer for Revoke. Two departures from the SDK's default executor, both on purpose:
// - No retries. The default DefaultRequestExecutor retries a 429 itself (twice, sleeping until
//   X-Rate-Limit-Reset); Revoke's one retry layer (src/core/retry.ts) must decide instead, with
//   the reset time carried on the DirectoryError, so the base RequestExecutor is extended.
// - A failed token request keeps its OAuth error. The SDK turns a token endpoint answer like
//   {"error":"invalid_scope"} into an OktaApiError whose errorCode is empty, losing what an
//   administrator needs to know; here it becomes an OktaTokenRefused that names it.
import { RequestExecutor } from '@okta/okta-sdk-nodejs';

export const TOKEN_PATH = '/oauth2/v1/token';

/** What node-fetch's Response offers that this file reads. */
interface FetchedResponse {
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/** The org authorization server refused to issue an access token (RFC 6749 §5.2). */
export class OktaTokenRefused extends Error {
  constructor(
    readonly httpStatus: number,
    /** The OAuth error code: invalid_client, invalid_scope, unauthorized_client, … */
    readonly oauthError: string,
    readonly description: string,
    readonly requestId: string | undefined,
  ) {
    super(`Okta refused the access token request (${httpStatus} ${oauthError})`);
    this.name = 'OktaTokenRefused';
  }
}

export class NoRetryRequestExecutor extends RequestExecutor {
  constructor(private readonly timeoutMs: number) {
    super();
  }

  override async fetch(request: Parameters<RequestExecutor['fetch']>[0]): Promise<FetchedResponse> {
    // node-fetch's own per-request timeout: a hung Okta answer fails as transient, not forever.
    (request as { timeout?: number }).timeout = this.timeoutMs;
    const response = (await super.fetch(request)) as FetchedResponse;
    const url = String((request as { url?: string }).url ?? '');
    if (
      isTokenEndpoint(url) &&
      response.status >= 400 &&
      response.status < 500 &&
      response.status !== 429
    ) {
      const refused = await readOAuthError(response);
      // The SDK handles DPoP's nonce challenge itself: leave that answer to it.
      if (refused.oauthError !== 'use_dpop_nonce') throw refused;
    }
    return response;
  }
}

function isTokenEndpoint(url: string): boolean {
  try {
    return new URL(url).pathname === TOKEN_PATH;
  } catch {
    return false;
  }
}

async function readOAuthError(response: FetchedResponse): Promise<OktaTokenRefused> {
  const text = await response.text().catch(() => '');
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null) body = parsed as Record<string, unknown>;
  } catch {
    // Not JSON: keep the status alone.
  }
  // The org authorization server answers OAuth errors as {error, error_description}; some Okta
  // front doors answer with the Management API shape {errorCode, errorSummary} instead.
  const code =
    stringField(body, 'error') ?? stringField(body, 'errorCode') ?? `HTTP${response.status}`;
  const description =
    stringField(body, 'error_description') ?? stringField(body, 'errorSummary') ?? '';
  return new OktaTokenRefused(
    response.status,
    code,
    description,
    response.headers.get('x-okta-request-id') ?? undefined,
  );
}

function stringField(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
