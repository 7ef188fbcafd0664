// The sandbox's GitHub organisation, in memory: the demo people below are members whose SAML
// identity is their UPN, and Alice also has a pending invitation sent to her e-mail address, so the
// demo shows a removal and a cancelled invitation. Only these people: a tenant of generated users
// (the batch tests) has nobody in it. Nothing real is reached.
import type {
  GithubInvitation,
  GithubMembership,
  GithubNoMatch,
  GithubOrganisation,
} from '../../core/saas/github-port';
import type { SandboxPerson } from './sandbox-tenant';

export const SANDBOX_GITHUB_ORG = 'contoso-demo';

/** The demo people who are members, by UPN. */
const MEMBERS = new Set(
  [
    'alice.johnson',
    'bob.smith',
    'dana.obrien',
    'evan.park',
    'sam.rivera',
    'priya.patel',
    'marcus.chen',
  ].map((name) => `${name}@contoso.com`),
);

export class SandboxGithubOrganisation implements GithubOrganisation {
  readonly mode = 'org' as const;
  readonly org = SANDBOX_GITHUB_ORG;
  /** UPN (lower case) → login. */
  readonly identities = new Map<string, string>();
  /** login (lower case) → membership. */
  readonly members = new Map<string, GithubMembership & { login: string }>();
  readonly invitations: GithubInvitation[] = [];

  constructor(people: readonly SandboxPerson[]) {
    let id = 5000;
    for (const person of people) {
      if (!person.upn || !MEMBERS.has(person.upn.toLowerCase())) continue;
      const login = `${person.upn.split('@')[0]?.replace(/\./g, '-')}-contoso`;
      this.identities.set(person.upn.toLowerCase(), login);
      this.members.set(login.toLowerCase(), {
        login,
        // The SOC lead owns the organisation in the story.
        role: person.upn.startsWith('priya.patel@') ? 'admin' : 'member',
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
