// Configuration: loadConfig already refuses what it can; its problems become ✗ lines here rather
// than a crash. The few settings it accepts but that deserve a second look become warnings.
import {
  ConfigError,
  isLoopbackHost,
  loadConfig,
  sandboxRefusals,
  type Config,
} from '../../config';
import { resolveLdapConfig } from '../../directory/ldap';
import { DirectoryError } from '../../core/errors';
import { fail, ok, warn, type CheckResult } from '../check-result';

const NAME = 'Configuration';

export interface ConfigCheck {
  results: CheckResult[];
  config?: Config;
}

export function checkConfig(env: NodeJS.ProcessEnv, projectRoot: string): ConfigCheck {
  let config: Config;
  try {
    config = loadConfig(env, projectRoot);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return {
      results: error.problems.map((problem) =>
        fail(NAME, problem, 'Change the variable named above (see env.sample), then run again.'),
      ),
    };
  }
  const results: CheckResult[] = [
    ok(
      NAME,
      `environment parsed (${config.directory.mode === 'graph' ? 'real tenant' : 'sandbox'})`,
    ),
  ];
  if (config.directory.mode === 'sandbox') {
    results.push(
      warn(
        NAME,
        'AZURE_TENANT_ID is not set: Revoke runs against the built-in sandbox tenant and changes no real Entra ID account.',
        'Set AZURE_TENANT_ID and the Entra ID variables of env.sample to use your tenant.',
      ),
    );
  }
  // The doctor still checks a configured AD in sandbox mode; the bot would not start like this.
  for (const refusal of sandboxRefusals(config)) {
    results.push(
      fail(NAME, `the bot refuses to start: ${refusal}`, 'Change the variable named above.'),
    );
  }
  if (config.bot.skipAuth && config.directory.mode === 'graph') {
    results.push(
      fail(
        NAME,
        'INSECURE_SKIP_BOT_AUTH=true with a real tenant: anyone who can reach /api/messages can forge approvals.',
        'Set INSECURE_SKIP_BOT_AUTH=false and MicrosoftAppId/MicrosoftAppPassword of the bot registration.',
      ),
    );
  }
  if (config.ldap) {
    // The AD adapter checks these only when it first connects; say it now instead.
    try {
      resolveLdapConfig(config.ldap);
    } catch (error) {
      const message = error instanceof DirectoryError ? error.message : String(error);
      results.push(fail(NAME, message, 'Fix the LDAP_* variables (see env.sample).'));
    }
  }
  if (config.metrics.port !== undefined && !isLoopbackHost(config.metrics.host)) {
    results.push(
      warn(
        NAME,
        `METRICS_HOST=${config.metrics.host}: /metrics is reachable from the network without authentication.`,
        'Keep METRICS_HOST=127.0.0.1 unless a network policy limits who can reach METRICS_PORT.',
      ),
    );
  }
  return { results, config };
}
