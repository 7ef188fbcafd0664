// The official SDK, @octokit/rest, built once per adapter. It is an ES module, so this CommonJS
// build loads it with import() (as src/doctor loads `jose`). @octokit/rest carries no retry or
// throttling plugin (those are separate packages, deliberately not installed): every call is made
// once, and Revoke's one retry layer (src/core/retry.ts) waits as Retry-After and
// x-ratelimit-reset say.
import type { Octokit } from '@octokit/rest' with { 'resolution-mode': 'import' };
import type { Logger } from '../../core/ports';
import type { GithubSettings } from './github-settings';

export type { Octokit };

const DEFAULT_TIMEOUT_MS = 15_000;

export async function createOctokit(settings: GithubSettings, logger: Logger): Promise<Octokit> {
  const { Octokit: OctokitClass } = await import('@octokit/rest');
  const timeoutMs = settings.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const octokit = new OctokitClass({
    auth: settings.token,
    baseUrl: settings.apiUrl,
    userAgent: 'revoke-teams-bot',
    // A redirect is never followed: it could carry the token to another host.
    request: { redirect: 'error' },
    // The SDK's own messages (deprecations) go to Revoke's log, never to the console.
    log: {
      debug: () => undefined,
      info: () => undefined,
      warn: (message: string) => logger.warn(message, { connector: 'github' }),
      error: (message: string) => logger.error(message, { connector: 'github' }),
    },
  });
  // Each call gets its own deadline; a signal set once on the instance would expire for good.
  octokit.hook.before('request', (options) => {
    options.request = { ...options.request, signal: AbortSignal.timeout(timeoutMs) };
  });
  return octokit;
}
