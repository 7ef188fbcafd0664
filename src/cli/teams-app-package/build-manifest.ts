// Turns manifest/manifest.json (with ${{VARIABLE}} placeholders, as the Teams Toolkit writes them)
// into the manifest of one deployment, from the environment.
const PLACEHOLDER = /\$\{\{([A-Z_][A-Z0-9_]*)\}\}/gi;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(\*\.)?([a-z0-9-]+\.)+[a-z]{2,63}$/i;

export class ManifestError extends Error {
  constructor(readonly problems: string[]) {
    super(`Cannot build the Teams app package:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ManifestError';
  }
}

/** The values substituted into the template; each comes from the variable of the same name. */
export interface ManifestValues {
  /** The Teams app id (a GUID); defaults to the bot's id. */
  TEAMS_APP_ID: string;
  /** The bot's Microsoft App ID (Azure Bot registration). */
  BOT_ID: string;
  /** The host name of the bot's endpoint, for validDomains; may be empty. */
  BOT_DOMAIN: string;
  APP_VERSION: string;
}

export function manifestValues(env: NodeJS.ProcessEnv, version: string): ManifestValues {
  const problems: string[] = [];
  const botId = env.MicrosoftAppId?.trim() ?? '';
  const appId = env.TEAMS_APP_ID?.trim() || botId;
  const domain = env.BOT_DOMAIN?.trim() ?? '';
  if (!GUID.test(botId))
    problems.push('MicrosoftAppId must be the bot registration\u2019s app id (a GUID).');
  if (!GUID.test(appId)) problems.push('TEAMS_APP_ID must be a GUID (or unset to use the bot id).');
  if (domain && !DOMAIN.test(domain))
    problems.push(`BOT_DOMAIN must be a host name like revoke.contoso.com (got "${domain}").`);
  if (problems.length > 0) throw new ManifestError(problems);
  return { TEAMS_APP_ID: appId, BOT_ID: botId, BOT_DOMAIN: domain, APP_VERSION: version };
}

/**
 * Where Teams must let the bot's sign-in button go: with step-up MFA on (APPROVAL_STEP_UP=required)
 * the Bot Framework token service, as Teams asks of bots that show an OAuth sign-in.
 */
export function signInDomains(env: NodeJS.ProcessEnv): string[] {
  return env.APPROVAL_STEP_UP?.trim().toLowerCase() === 'required'
    ? ['token.botframework.com']
    : [];
}

export function buildManifest(
  template: string,
  values: ManifestValues,
  extraDomains: readonly string[] = [],
): Record<string, unknown> {
  const missing = new Set<string>();
  const text = template.replace(PLACEHOLDER, (_match, name: string) => {
    if (!(name in values)) {
      missing.add(name);
      return '';
    }
    // Values are checked above to be GUIDs, host names or versions: nothing to escape in JSON.
    return values[name as keyof ManifestValues];
  });
  if (missing.size > 0)
    throw new ManifestError([`unknown placeholders in the template: ${[...missing].join(', ')}`]);
  const manifest = JSON.parse(text) as Record<string, unknown>;
  // An empty domain means none: Teams rejects "" in validDomains.
  if (Array.isArray(manifest.validDomains)) {
    const domains = [...(manifest.validDomains as unknown[]), ...extraDomains];
    manifest.validDomains = [...new Set(domains.filter((d) => d !== ''))];
  }
  return manifest;
}
