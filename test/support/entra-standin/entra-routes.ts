// The Entra ID (login) side: OpenID metadata, JWKS, the v2.0 token endpoint for client
// credentials (secret or certificate assertion) and an App Service-style managed identity endpoint.
// Errors have the AADSTS shape MSAL parses.
import { randomUUID } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { certificatePublicKey, publicJwk, signJwt, verifyJwt, type SigningKey } from './jwt';
import type { StandinApp, StandinState } from './state';

export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

export interface EntraContext {
  state: StandinState;
  origin: string;
  key: SigningKey;
  /** Value the managed identity endpoint expects in X-IDENTITY-HEADER. */
  identityHeader: string;
  tokenLifetimeSeconds: number;
}

export interface HttpAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** Audiences Graph accepts; the stand-in's own origin plays the Graph resource. */
export function graphAudiences(origin: string): string[] {
  return [origin, 'https://graph.microsoft.com', GRAPH_APP_ID];
}

export function tokenIssuer(tenantId: string): string {
  return `https://sts.windows.net/${tenantId}/`;
}

function aadError(
  ctx: EntraContext,
  status: number,
  error: string,
  code: number,
  text: string,
): HttpAnswer {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date()
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${code}: ${text} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `${ctx.origin}/error?code=${code}`,
    },
  };
}

const unknownTenant = (ctx: EntraContext, tenant: string): HttpAnswer =>
  aadError(
    ctx,
    400,
    'invalid_tenant',
    90002,
    `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
  );

export function openIdConfiguration(ctx: EntraContext, tenant: string): HttpAnswer {
  if (tenant !== ctx.state.tenantId) return unknownTenant(ctx, tenant);
  const base = `${ctx.origin}/${tenant}`;
  return {
    status: 200,
    body: {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: [
        'client_secret_post',
        'private_key_jwt',
        'client_secret_basic',
      ],
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${base}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${ctx.origin}/oidc/userinfo`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nbf', 'tid', 'roles'],
      kerberos_endpoint: `${base}/kerberos`,
      tenant_region_scope: 'EU',
      cloud_instance_name: new URL(ctx.origin).host,
      cloud_graph_host_name: new URL(ctx.origin).host,
      msgraph_host: new URL(ctx.origin).host,
      rbac_url: ctx.origin,
    },
  };
}

export function jwks(ctx: EntraContext, tenant: string): HttpAnswer {
  if (tenant !== ctx.state.tenantId) return unknownTenant(ctx, tenant);
  return { status: 200, body: { keys: [publicJwk(ctx.key)] } };
}

function issueAccessToken(
  ctx: EntraContext,
  app: StandinApp,
  audience: string,
): { token: string; expiresIn: number } {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    aud: audience,
    iss: tokenIssuer(ctx.state.tenantId),
    iat: now,
    nbf: now,
    exp: now + ctx.tokenLifetimeSeconds,
    app_displayname: app.displayName,
    appid: app.clientId,
    appidacr: app.managedIdentity ? '2' : '1',
    idp: tokenIssuer(ctx.state.tenantId),
    idtyp: 'app',
    oid: app.clientId,
    roles: [...app.roles],
    sub: app.clientId,
    tid: ctx.state.tenantId,
    uti: randomUUID(),
    ver: '1.0',
  };
  return { token: signJwt(claims, ctx.key), expiresIn: ctx.tokenLifetimeSeconds };
}

const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access']);

/** `<resource>/.default` → the resource, when Graph (the stand-in) is that resource. */
function resourceOf(
  ctx: EntraContext,
  scopeParam: string,
): { resource: string } | { error: HttpAnswer } {
  const scopes = scopeParam.split(' ').filter((s) => s.length > 0 && !OIDC_SCOPES.has(s));
  const scope = scopes[0] ?? '';
  if (scopes.length !== 1 || !scope.endsWith('/.default')) {
    return {
      error: aadError(
        ctx,
        400,
        'invalid_scope',
        1002012,
        `The provided value for scope ${scopeParam} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
      ),
    };
  }
  const resource = scope.slice(0, -'/.default'.length);
  if (!graphAudiences(ctx.origin).includes(resource)) {
    return {
      error: aadError(
        ctx,
        400,
        'invalid_resource',
        500011,
        `The resource principal named ${resource} was not found in the tenant named ${ctx.state.tenantId}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
      ),
    };
  }
  return { resource };
}

function checkAssertion(
  ctx: EntraContext,
  app: StandinApp,
  assertion: string,
  tokenEndpoint: string,
): HttpAnswer | undefined {
  if (!app.certificatePem) {
    return aadError(
      ctx,
      401,
      'invalid_client',
      700027,
      `Client assertion failed signature validation. The key was not found for app '${app.clientId}'.`,
    );
  }
  const key: KeyObject = certificatePublicKey(app.certificatePem);
  const check = verifyJwt(assertion, () => key, Math.floor(Date.now() / 1000));
  if (!check.ok) {
    return aadError(
      ctx,
      401,
      'invalid_client',
      700027,
      `Client assertion failed signature validation. ${check.reason}`,
    );
  }
  const { iss, sub, aud } = check.claims;
  if (iss !== app.clientId || sub !== app.clientId || aud !== tokenEndpoint) {
    return aadError(
      ctx,
      401,
      'invalid_client',
      700023,
      'Client assertion audience, issuer or subject claim does not match.',
    );
  }
  return undefined;
}

export function token(ctx: EntraContext, tenant: string, form: URLSearchParams): HttpAnswer {
  if (tenant !== ctx.state.tenantId) return unknownTenant(ctx, tenant);
  const grantType = form.get('grant_type');
  if (grantType !== 'client_credentials') {
    return aadError(
      ctx,
      400,
      'unsupported_grant_type',
      70003,
      `The app requested an unsupported grant type '${grantType ?? ''}'.`,
    );
  }
  const clientId = form.get('client_id') ?? '';
  const app = ctx.state.apps.get(clientId);
  if (!app || app.managedIdentity) {
    return aadError(
      ctx,
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    );
  }
  const secret = form.get('client_secret');
  const assertion = form.get('client_assertion');
  if (secret !== null) {
    if (!app.secrets.includes(secret)) {
      return aadError(
        ctx,
        401,
        'invalid_client',
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
      );
    }
  } else if (assertion !== null) {
    const failed = checkAssertion(ctx, app, assertion, `${ctx.origin}/${tenant}/oauth2/v2.0/token`);
    if (failed) return failed;
  } else {
    return aadError(
      ctx,
      401,
      'invalid_client',
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    );
  }
  const resource = resourceOf(ctx, form.get('scope') ?? '');
  if ('error' in resource) return resource.error;
  const issued = issueAccessToken(ctx, app, resource.resource);
  return {
    status: 200,
    body: {
      token_type: 'Bearer',
      expires_in: issued.expiresIn,
      ext_expires_in: issued.expiresIn,
      access_token: issued.token,
    },
  };
}

export function managedIdentityToken(
  ctx: EntraContext,
  query: URLSearchParams,
  header: string | undefined,
): HttpAnswer {
  if (header !== ctx.identityHeader) {
    return {
      status: 401,
      body: { statusCode: 401, message: 'Unauthorized: missing or wrong X-IDENTITY-HEADER.' },
    };
  }
  const wanted = query.get('client_id');
  const app = [...ctx.state.apps.values()].find(
    (a) => a.managedIdentity && (wanted === null || a.clientId === wanted),
  );
  if (!app)
    return {
      status: 400,
      body: { statusCode: 400, message: 'No managed identity found for the request.' },
    };
  const resource = (query.get('resource') ?? '').replace(/\/\.default$/, '').replace(/\/$/, '');
  if (!graphAudiences(ctx.origin).includes(resource)) {
    return { status: 400, body: { statusCode: 400, message: `Unknown resource '${resource}'.` } };
  }
  const issued = issueAccessToken(ctx, app, resource);
  return {
    status: 200,
    body: {
      access_token: issued.token,
      expires_on: String(Math.floor(Date.now() / 1000) + issued.expiresIn),
      resource,
      token_type: 'Bearer',
      client_id: app.clientId,
    },
  };
}
