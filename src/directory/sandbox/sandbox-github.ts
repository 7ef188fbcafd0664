// The sandbox's GitHub organisation, in memory: every demo person with a UPN is a member whose SAML
// identity is their UPN (the approvers are owners), and Alice also has a pending invitation sent to
// her e-mail address, so the demo shows a removal and a cancelled invitation. Nothing real is
// reached.
import type {
  GithubInvitation,
  GithubMembership,
  GithubNoMatch,
  GithubOrganisation,
} from '../../core/saas/github-port';
import type { SandboxPerson } from './sandbox-tenant';

export const SANDBOX_GITHUB_ORG = 'contoso-demo';

export class SandboxGithubOrganisation implements GithubOrganisation {
  readonly mode = 'org' as const;
  readonly org = SANDBOX_GITHUB_ORG;
  /** UPN (lower case) → login. */
  readonly identities = new Map<string, string>();
  /** login (lower case) → membership. */
  readonly members = new Map<string, GithubMembership & { login: string }>();
  readonly invitations: GithubInvitation[] = [];

  constructor(people: readonly SandboxPerson[], owners: ReadonlySet<string> = new Set()) {
    let id = 5000;
    for (const person of people) {
      if (!person.upn || !person.upn.endsWith('@contoso.com')) continue;
      const login = `${person.upn.split('@')[0]?.replace(/\./g, '-')}-contoso`;
      this.identities.set(person.upn.toLowerCase(), login);
      this.members.set(login.toLowerCase(), {
        login,
        role: owners.has(person.id) ? 'admin' : 'member',
        state: 'active',
        userId: (id += 1),
      });
    }
    this.invitations.push({ id: 9001, email: 'alice.johnson@contoso.com' });
  }

  findLogin(userPrincipalName: string): Promise<{ login: string } | GithubNoMatch> {
    const login = this.identities.get(userPrincipalName.toLowerCase());
    return Promise.resolve(
      login
        ? { login }
        : { none: `no GitHub account in ${this.org} is linked to ${userPrincipalName}` },
    );
  }

  getMembership(login: string): Promise<GithubMembership | undefined> {
    const member = this.members.get(login.toLowerCase());
    return Promise.resolve(
      member ? { role: member.role, state: member.state, userId: member.userId } : undefined,
    );
  }

  removeMember(login: string): Promise<void> {
    this.members.delete(login.toLowerCase());
    return Promise.resolve();
  }

  listInvitations(): Promise<GithubInvitation[]> {
    return Promise.resolve(this.invitations.map((i) => ({ ...i })));
  }

  cancelInvitation(id: number): Promise<void> {
    const index = this.invitations.findIndex((i) => i.id === id);
    if (index >= 0) this.invitations.splice(index, 1);
    return Promise.resolve();
  }
}
