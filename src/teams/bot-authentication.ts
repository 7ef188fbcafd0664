// Who may talk to the bot: Bot Framework authentication over the standard variables
// (MicrosoftAppId, MicrosoftAppPassword or a certificate, MicrosoftAppType, MicrosoftAppTenantId).
// botbuilder validates every request's JWT: issuer, audience = our app id, signature against the
// Bot Framework's published keys, expiry, and the serviceUrl claim.
import { readFileSync } from 'node:fs';
import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
// botframework-connector is botbuilder's own auth layer (same release, installed with it).
import {
  AuthenticationConstants,
  AuthenticationError,
  BotFrameworkAuthentication,
  type AuthenticateRequestResult,
  type ClaimsIdentity,
  type ConnectorFactory,
  type ServiceClientCredentialsFactory,
  type UserTokenClient,
} from 'botframework-connector';
import { StatusCodes, type Activity } from 'botbuilder';
import type { BotConfig } from '../config';
import { ReusedConnectorClients } from './reused-connector-clients';

export interface BotAuthenticationOverrides {
  /**
   * Where to read the channel's OpenID metadata (and through it the signing keys). Production
   * leaves it unset: botbuilder's default, the Bot Framework's well-known document. Tests point it
   * at a local server whose keys they sign with; issuer and audience rules stay the production ones.
   */
  openIdMetadataUrl?: string;
  /** Outgoing credentials (replies to the connector); incoming validation is unaffected. */
  credentialsFactory?: ServiceClientCredentialsFactory;
  /**
   * The Bot Framework token service UserTokenClient calls (step-up sign-ins). Tests point it at a
   * stand-in; unset, botbuilder's public-cloud default. Only read with `openIdMetadataUrl`.
   */
  oAuthUrl?: string;
}

export function createBotAuthentication(
  bot: BotConfig,
  overrides: BotAuthenticationOverrides = {},
): BotFrameworkAuthentication {
  // Without an app id, botbuilder neither checks nor sends tokens: only for the sandbox and
  // local tools (config refuses it with a real tenant unless INSECURE_SKIP_BOT_AUTH is set).
  if (!bot.appId)
    return new ReusedConnectorClients(new ConfigurationBotFrameworkAuthentication({}));
  const options: Record<string, string | undefined> = {
    MicrosoftAppId: bot.appId,
    MicrosoftAppPassword: bot.appPassword,
    MicrosoftAppType: bot.appType,
    MicrosoftAppTenantId: bot.appTenantId,
  };
  if (bot.certificateThumbprint && bot.certificateKeyFile) {
    options[AuthenticationConstants.CertificateThumbprint] = bot.certificateThumbprint;
    options[AuthenticationConstants.CertificatePrivateKey] = readFileSync(
      bot.certificateKeyFile,
      'utf8',
    );
  }
  if (overrides.openIdMetadataUrl) {
    // Setting any endpoint switches botbuilder to "all parameters given": pass the public-cloud
    // values for every other one, so only where the keys come from differs.
    Object.assign(options, {
      ToBotFromChannelOpenIdMetadataUrl: overrides.openIdMetadataUrl,
      ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
      ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
      ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
      OAuthUrl: overrides.oAuthUrl ?? AuthenticationConstants.OAuthUrl,
      ToBotFromEmulatorOpenIdMetadataUrl:
        AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
      CallerId: 'urn:botframework:azure',
      ValidateAuthority: 'true',
    });
  }
  return new ReusedConnectorClients(
    new RejectingBotAuthentication(
      new ConfigurationBotFrameworkAuthentication(options, overrides.credentialsFactory),
    ),
  );
}

/**
 * botbuilder answers 401 only for its own AuthenticationError; a token with a bad signature
 * surfaces as jsonwebtoken's error and would become a 500. Any failure to authenticate a request
 * is a refusal of that request, so it leaves here as a 401.
 */
class RejectingBotAuthentication extends BotFrameworkAuthentication {
  constructor(private readonly inner: BotFrameworkAuthentication) {
    super();
  }

  override async authenticateRequest(
    activity: Activity,
    authHeader: string,
  ): Promise<AuthenticateRequestResult> {
    try {
      return await this.inner.authenticateRequest(activity, authHeader);
    } catch (error) {
      throw asUnauthorized(error);
    }
  }

  override async authenticateStreamingRequest(
    authHeader: string,
    channelIdHeader: string,
  ): Promise<AuthenticateRequestResult> {
    try {
      return await this.inner.authenticateStreamingRequest(authHeader, channelIdHeader);
    } catch (error) {
      throw asUnauthorized(error);
    }
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.inner.createConnectorFactory(claimsIdentity);
  }

  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.inner.createUserTokenClient(claimsIdentity);
  }

  override createBotFrameworkClient(): ReturnType<
    BotFrameworkAuthentication['createBotFrameworkClient']
  > {
    return this.inner.createBotFrameworkClient();
  }

  override getOriginatingAudience(): string {
    return this.inner.getOriginatingAudience();
  }

  override async authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    try {
      return await this.inner.authenticateChannelRequest(authHeader);
    } catch (error) {
      throw asUnauthorized(error);
    }
  }
}

function asUnauthorized(error: unknown): AuthenticationError {
  if (error instanceof AuthenticationError) return error;
  // The message only: jsonwebtoken's errors name the failure, never the token.
  const message = error instanceof Error ? error.message : String(error);
  return new AuthenticationError(`Unauthorized: ${message}`, StatusCodes.UNAUTHORIZED);
}
