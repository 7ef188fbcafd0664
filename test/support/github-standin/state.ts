// What the GitHub stand-in holds: one organisation (members, pending invitations, the SAML
// identities its single sign-on linked), one enterprise of managed users (SCIM), and the tokens
// that may call it, each with the fine-grained permissions it was given.

/** A permission as GitHub names it in x-accepted-github-permissions, plus two stand-in grants. */
export type StandinPermission =
  | 'members=read'
  | 'members=write'
  /** Reading the organisation's SAML identities (an organisation owner's token). */
  | 'identities'
  /** The enterprise's SCIM API (the setup user's scim:enterprise). */
  | 'scim';

export interface StandinMember {
  login: string;
  id: number;
  role: 'admin' | 'member';
  state: 'active' | 'pending';
}

export interface StandinInvitation {
  id: number;
  login: string | null;
  email: string | null;
  role: 'direct_member' | 'admin';
}

export interface StandinIdentity {
  nameId: string;
  scimUserName?: string;
  /** Null: nobody has signed in through single sign-on with this identity yet. */
  login: string | null;
}

export interface StandinManagedUser {
  id: string;
  userName: string;
  active: boolean;
}

export class GithubState {
  readonly members = new Map<string, StandinMember>();
  readonly invitations: StandinInvitation[] = [];
  readonly identities: StandinIdentity[] = [];
  readonly managedUsers = new Map<string, StandinManagedUser>();
  readonly tokens = new Map<string, Set<StandinPermission>>();
  /** Whose token it is (GET /user); the stand-in's own bot account by default. */
  readonly tokenOwners = new Map<string, string>();
  /** False: the organisation has no SAML single sign-on of its own. */
  samlEnabled = true;
  private nextId = 1000;

  constructor(
    readonly org = 'contoso',
    readonly enterprise = 'contoso-emu',
  ) {}

  addToken(token: string, permissions: readonly StandinPermission[], owner?: string): string {
    this.tokens.set(token, new Set(permissions));
    if (owner) this.tokenOwners.set(token, owner);
    return token;
  }

  addMember(login: string, role: StandinMember['role'] = 'member', upn?: string): StandinMember {
    const member: StandinMember = { login, id: this.nextId++, role, state: 'active' };
    this.members.set(login.toLowerCase(), member);
    if (upn) this.identities.push({ nameId: upn, login });
    return member;
  }

  invite(to: { login?: string; email?: string }): StandinInvitation {
    const invitation: StandinInvitation = {
      id: this.nextId++,
      login: to.login ?? null,
      email: to.email ?? null,
      role: 'direct_member',
    };
    this.invitations.push(invitation);
    return invitation;
  }

  addManagedUser(userName: string, active = true): StandinManagedUser {
    const user = { id: `scim-${this.nextId++}`, userName, active };
    this.managedUsers.set(user.id, user);
    return user;
  }
}
