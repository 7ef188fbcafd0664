// The GitHub connector's adapter: organisation mode or Enterprise Managed Users, one SDK instance,
// built on first use (the SDK is an ES module, loaded asynchronously).
import type { Logger } from '../../core/ports';
import type { GithubDirectory } from '../../core/saas/github-port';
import { GithubEnterpriseDirectory } from './github-enterprise';
import { GithubOrganisationDirectory } from './github-organisation';
import type { GithubSettings } from './github-settings';
import { createOctokit, type Octokit } from './octokit-client';

export type { GithubSettings } from './github-settings';
export { createOctokit } from './octokit-client';
export { githubError } from './github-errors';

export function createGithubDirectory(settings: GithubSettings, logger: Logger): GithubDirectory {
  let client: Promise<Octokit> | undefined;
  const octokit = () => {
    client ??= createOctokit(settings, logger).catch((error: unknown) => {
      client = undefined;
      throw error;
    });
    return client;
  };
  if (settings.mode === 'emu')
    return new GithubEnterpriseDirectory(octokit, {
      ...settings,
      enterprise: settings.enterprise ?? '',
    });
  return new GithubOrganisationDirectory(octokit, { ...settings, org: settings.org ?? '' });
}
