// Okta, reached as an OAuth 2.0 service app with a private key through Okta's official SDK. Off
// unless an OKTA_ variable is set; then every one is validated at start, one line per problem.
import { OKTA_CONNECTOR } from '../core/paths/okta';
import { describeError, DirectoryError } from '../core/errors';
import { fail, ok, type CheckResult } from '../doctor/check-result';
import { LazyOktaDirectory } from '../directory/okta/lazy-okta-directory';
import { OKTA_VARIABLES, readOktaSettings, type OktaSettings } from '../directory/okta/okta-config';
import { OKTA_SCOPES } from '../directory/okta/okta-scopes';
import { SandboxOkta } from '../directory/sandbox/sandbox-okta';
import { registeredSetup, type ConnectorSetup } from './connector-setup';

const CHECK = 'Okta service app';

export const oktaSetup: ConnectorSetup<OktaSettings> = {
  name: 'okta',
  variables: OKTA_VARIABLES,

  read(read) {
    const env = Object.fromEntries(OKTA_VARIABLES.map((name) => [name, read.optional(name)]));
    const result = readOktaSettings(env);
    if (result.kind === 'off') return undefined;
    if (result.kind === 'invalid') {
      for (const problem of result.errors) read.problem(problem);
      return undefined;
    }
    return result.settings;
  },

  connect(settings, connectors) {
    connectors.set(OKTA_CONNECTOR, {
      directory: new LazyOktaDirectory(settings),
      closing: settings.action,
    });
  },

  sandbox(connectors, tenant) {
    connectors.set(OKTA_CONNECTOR, {
      directory: new SandboxOkta(tenant.people, tenant.behaviour),
      closing: 'suspend',
    });
  },

  async doctor(settings): Promise<CheckResult[]> {
    try {
      const granted = await new LazyOktaDirectory(settings).grantedScopes();
      const missing = OKTA_SCOPES.filter((scope) => !granted.includes(scope));
      if (missing.length > 0)
        return [
          fail(
            CHECK,
            `the access token lacks ${missing.join(', ')}`,
            `Grant ${missing.join(' and ')} to the service app ${settings.clientId} (Okta Admin Console → Applications → the app → Okta API Scopes).`,
          ),
        ];
      return [ok(CHECK, `a token for ${settings.orgUrl} with ${OKTA_SCOPES.join(' and ')}`)];
    } catch (error) {
      const advice = error instanceof DirectoryError ? error.advice : undefined;
      return [
        fail(
          CHECK,
          `no token from ${settings.orgUrl}: ${describeError(error)}`,
          advice ??
            `Check OKTA_CLIENT_ID, OKTA_KEY_ID and that the public key of OKTA_PRIVATE_KEY_PATH is registered on the service app.`,
        ),
      ];
    }
  },

  describe: (settings) => ({
    orgUrl: settings.orgUrl,
    clientId: settings.clientId,
    action: settings.action,
    privateKey: true,
  }),
};

export const OKTA_SETUP = registeredSetup(oktaSetup);
