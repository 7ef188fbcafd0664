// Organisation mode, with @octokit/rest: the person's GitHub login is the one GitHub links to their
// SAML identity in the organisation (GraphQL `organization.samlIdentityProvider.externalIdentities`
// filtered by userName, which GitHub matches against the SAML nameId and the SCIM userName:
// https://docs.github.com/en/enterprise-cloud@latest/organizations/managing-saml-single-sign-on-for-your-organization/troubleshooting-identity-and-access-management-for-your-organization),
// then the REST API removes the member and cancels the invitations.
import { DirectoryError } from '../../core/errors';
import type {
  GithubInvitation,
  GithubMembership,
  GithubNoMatch,
  GithubOrganisation,
} from '../../core/saas/github-port';
import { githubError, type ErrorContext } from './github-errors';
import type { GithubSettings } from './github-settings';
import type { Octokit } from './octokit-client';

const READ_MEMBERS = 'the organisation permission "Members: Read" (classic token: read:org)';
const WRITE_MEMBERS =
  'the organisation permission "Members: Read and write" from an organisation owner (classic token: admin:org)';
const READ_IDENTITIES =
  "an organisation owner's token that may read the organisation's SAML identities (classic token: admin:org)";
/** Enough pages for any real linkage: the filter leaves a handful at most. */
const MAX_IDENTITY_PAGES = 10;

const IDENTITIES_QUERY = `
query RevokeExternalIdentities($org: String!, $userName: String!, $after: String) {
  organization(login: $org) {
    samlIdentityProvider {
      externalIdentities(userName: $userName, first: 100, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes {
          samlIdentity { nameId }
          scimIdentity { username }
          user { login }
        }
      }
    }
  }
}`;

interface IdentitiesPage {
  organization: {
    samlIdentityProvider: {
      externalIdentities: {
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        nodes: Array<{
          samlIdentity: { nameId: string | null } | null;
          scimIdentity: { username: string | null } | null;
          user: { login: string } | null;
        } | null>;
      };
    } | null;
  } | null;
}

export class GithubOrganisationDirectory implements GithubOrganisation {
  readonly mode = 'org' as const;

  constructor(
    private readonly octokit: () => Promise<Octokit>,
    private readonly settings: GithubSettings & { org: string },
  ) {}

  get org(): string {
    return this.settings.org;
  }

  async findLogin(userPrincipalName: string): Promise<{ login: string } | GithubNoMatch> {
    const wanted = userPrincipalName.toLowerCase();
    const logins = new Set<string>();
    let unlinked = false;
    let after: string | null = null;
    for (let page = 0; page < MAX_IDENTITY_PAGES; page += 1) {
      const data: IdentitiesPage = await this.call(
        `read the SAML identity of ${userPrincipalName}`,
        READ_IDENTITIES,
        async (octokit) =>
          octokit.graphql<IdentitiesPage>(IDENTITIES_QUERY, {
            org: this.org,
            userName: userPrincipalName,
            after,
          }),
      );
      if (!data.organization)
        throw new DirectoryError('misconfigured', `GitHub has no organisation ${this.org}.`, {
          code: 'NoOrganisation',
          advice: "Check GITHUB_ORG: it is the organisation's login, as in its URL.",
        });
      const provider = data.organization.samlIdentityProvider;
      if (!provider)
        return {
          none: `the organisation ${this.org} has no SAML single sign-on of its own, so GitHub links no account there to ${userPrincipalName}`,
        };
      const identities = provider.externalIdentities;
      // GitHub's filter is not documented as exact: only an identity whose nameId or SCIM userName
      // equals the UPN (case aside, as Entra ID compares it) counts.
      for (const node of identities.nodes) {
        const names = [node?.samlIdentity?.nameId, node?.scimIdentity?.username];
        if (!names.some((name) => name?.toLowerCase() === wanted)) continue;
        if (node?.user) logins.add(node.user.login);
        else unlinked = true;
      }
      if (!identities.pageInfo.hasNextPage) break;
      after = identities.pageInfo.endCursor;
    }
    if (logins.size > 1)
      throw new DirectoryError(
        'rejected',
        `${logins.size} GitHub accounts in ${this.org} are linked to ${userPrincipalName} (${[...logins].sort().join(', ')}); Revoke will not guess which one is meant.`,
        {
          code: 'ambiguous',
          advice: `Unlink the wrong identity in ${this.org}'s SAML settings, or remove the right account by hand.`,
        },
      );
    const [login] = logins;
    if (login) return { login };
    return {
      none: unlinked
        ? `the SAML identity ${userPrincipalName} in ${this.org} is linked to no GitHub account (never signed in through single sign-on)`
        : `no GitHub account in ${this.org} is linked to ${userPrincipalName} (SAML nameId or SCIM userName)`,
    };
  }

  async getMembership(login: string): Promise<GithubMembership | undefined> {
    try {
      const { data } = await this.call(
        `read ${login}'s membership of ${this.org}`,
        READ_MEMBERS,
        (o) => o.rest.orgs.getMembershipForUser({ org: this.org, username: login }),
      );
      return {
        role: data.role === 'admin' ? 'admin' : 'member',
        state: data.state === 'pending' ? 'pending' : 'active',
        userId: data.user?.id ?? 0,
      };
    } catch (error) {
      // 404: not a member. A token that cannot see the organisation at all also gets 404 here, but
      // then the invitation list (read in the same step) fails, so "not a member" is never
      // concluded from an organisation the token cannot read.
      if (error instanceof DirectoryError && error.kind === 'not_found') return undefined;
      throw error;
    }
  }

  async removeMember(login: string): Promise<void> {
    await this.ignoringNotFound(`remove ${login} from ${this.org}`, (o) =>
      o.rest.orgs.removeMember({ org: this.org, username: login }),
    );
  }

  async listInvitations(): Promise<GithubInvitation[]> {
    const invitations = await this.call(
      `list ${this.org}'s pending invitations`,
      READ_MEMBERS,
      (o) => o.paginate(o.rest.orgs.listPendingInvitations, { org: this.org, per_page: 100 }),
    ).catch((error: unknown) => {
      // The organisation itself is missing, or hidden from the token: never "no invitations".
      if (error instanceof DirectoryError && error.kind === 'not_found')
        throw new DirectoryError(
          'misconfigured',
          `${error.message} (the organisation ${this.org})`,
          {
            code: 'NoOrganisation',
            cause: error,
            advice: `Check GITHUB_ORG, and that the token in ${this.settings.tokenEnv} belongs to an owner of ${this.org}.`,
          },
        );
      throw error;
    });
    return invitations.map((i) => ({
      id: i.id,
      ...(i.login ? { login: i.login } : {}),
      ...(i.email ? { email: i.email } : {}),
    }));
  }

  async cancelInvitation(id: number): Promise<void> {
    await this.ignoringNotFound(`cancel invitation ${id} to ${this.org}`, (o) =>
      o.rest.orgs.cancelInvitation({ org: this.org, invitation_id: id }),
    );
  }

  /** Gone already is what was wanted: the read-back decides. */
  private async ignoringNotFound(
    action: string,
    run: (o: Octokit) => Promise<unknown>,
  ): Promise<void> {
    try {
      await this.call(action, WRITE_MEMBERS, run);
    } catch (error) {
      if (error instanceof DirectoryError && error.kind === 'not_found') return;
      throw error;
    }
  }

  private async call<T>(
    action: string,
    permission: string,
    run: (octokit: Octokit) => Promise<T>,
  ): Promise<T> {
    const octokit = await this.octokit();
    const context: ErrorContext = { action, permission, tokenEnv: this.settings.tokenEnv };
    try {
      return await run(octokit);
    } catch (error) {
      throw githubError(error, context);
    }
  }
}
