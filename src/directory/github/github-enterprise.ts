// Enterprise Managed Users, with @octokit/rest: the enterprise's SCIM API
// (https://docs.github.com/en/enterprise-cloud@latest/rest/enterprise-admin/scim) finds the managed
// user by userName (the UPN Entra ID provisions) and suspends it with active=false, GitHub's "soft
// deprovisioning", which a later active=true undoes.
import { DirectoryError } from '../../core/errors';
import type {
  GithubEnterprise,
  GithubManagedUser,
  GithubNoMatch,
} from '../../core/saas/github-port';
import { githubError } from './github-errors';
import type { GithubSettings } from './github-settings';
import type { Octokit } from './octokit-client';

const SCIM_PERMISSION =
  'the scope scim:enterprise (a classic token of the enterprise\'s setup user, "@SHORTCODE_admin")';
const SCIM_JSON = 'application/scim+json';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export class GithubEnterpriseDirectory implements GithubEnterprise {
  readonly mode = 'emu' as const;

  constructor(
    private readonly octokit: () => Promise<Octokit>,
    private readonly settings: GithubSettings & { enterprise: string },
  ) {}

  get enterprise(): string {
    return this.settings.enterprise;
  }

  async findManagedUser(userPrincipalName: string): Promise<GithubManagedUser | GithubNoMatch> {
    // A SCIM filter's string is a JSON string (RFC 7644 §3.4.2.2): quotes and backslashes escaped.
    const filter = `userName eq ${JSON.stringify(userPrincipalName)}`;
    const data = await this.call(`find the managed user ${userPrincipalName}`, (o) =>
      o.request('GET /scim/v2/enterprises/{enterprise}/Users', {
        enterprise: this.enterprise,
        filter,
        count: 100,
        headers: { accept: SCIM_JSON },
      }),
    );
    const resources = (data as { Resources?: unknown }).Resources ?? [];
    if (!Array.isArray(resources))
      throw new DirectoryError('transient', 'GitHub answered the SCIM search with no user list.', {
        code: 'InvalidResponse',
      });
    const wanted = userPrincipalName.toLowerCase();
    const users = resources
      .map((r) => this.toUser(r))
      .filter((u) => u.userName.toLowerCase() === wanted);
    if (users.length > 1)
      throw new DirectoryError(
        'rejected',
        `${users.length} managed users in ${this.enterprise} have the SCIM userName ${userPrincipalName}; Revoke will not guess which one is meant.`,
        { code: 'ambiguous', advice: `Suspend the right one by hand in ${this.enterprise}.` },
      );
    return (
      users[0] ?? {
        none: `no managed user in the enterprise ${this.enterprise} has the SCIM userName ${userPrincipalName}`,
      }
    );
  }

  async getManagedUser(scimId: string): Promise<GithubManagedUser | undefined> {
    try {
      const data = await this.call(`read the managed user ${scimId}`, (o) =>
        o.request('GET /scim/v2/enterprises/{enterprise}/Users/{scim_user_id}', {
          enterprise: this.enterprise,
          scim_user_id: scimId,
          headers: { accept: SCIM_JSON },
        }),
      );
      return this.toUser(data);
    } catch (error) {
      if (error instanceof DirectoryError && error.kind === 'not_found') return undefined;
      throw error;
    }
  }

  async setManagedUserActive(scimId: string, active: boolean): Promise<void> {
    await this.call(`${active ? 'reactivate' : 'suspend'} the managed user ${scimId}`, (o) =>
      o.request('PATCH /scim/v2/enterprises/{enterprise}/Users/{scim_user_id}', {
        enterprise: this.enterprise,
        scim_user_id: scimId,
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', path: 'active', value: active }],
        headers: { accept: SCIM_JSON, 'content-type': SCIM_JSON },
      }),
    );
  }

  /** Anything but a user with an id, a userName and a boolean `active` is not read as one. */
  private toUser(value: unknown): GithubManagedUser {
    const json = (typeof value === 'object' && value !== null ? value : {}) as Record<
      string,
      unknown
    >;
    const { id, userName, active } = json;
    if (typeof id !== 'string' || typeof userName !== 'string' || typeof active !== 'boolean')
      throw new DirectoryError(
        'transient',
        'GitHub answered with something other than a SCIM user (no id, userName or active).',
        { code: 'InvalidResponse' },
      );
    return { scimId: id, userName, active };
  }

  private async call(
    action: string,
    run: (octokit: Octokit) => Promise<{ data: unknown }>,
  ): Promise<unknown> {
    const octokit = await this.octokit();
    try {
      return (await run(octokit)).data;
    } catch (error) {
      throw githubError(error, {
        action,
        permission: SCIM_PERMISSION,
        tokenEnv: this.settings.tokenEnv,
      });
    }
  }
}
