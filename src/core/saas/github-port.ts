// What the core needs from GitHub to close a person's access there, in one of two set-ups:
// an organisation whose members sign in with their own (personal) GitHub accounts, linked to the
// company's identity provider through the organisation's SAML single sign-on, or an enterprise of
// Enterprise Managed Users, whose accounts the identity provider owns through SCIM. Plain
// TypeScript: the adapter (src/directory/github/) implements it with the official SDK.
import { connectorKey } from '../paths/connectors';

/** Why a person maps to no GitHub account, in words the approvers read on the card. */
export interface GithubNoMatch {
  none: string;
}

/** An organisation member's standing before Revoke removed them. */
export interface GithubMembership {
  /** GitHub's organisation role: owners are `admin`. */
  role: 'admin' | 'member';
  /** `pending`: invited through this membership, not yet accepted. */
  state: 'active' | 'pending';
  /** The account's numeric id: it stays when the login is renamed. */
  userId: number;
}

export interface GithubInvitation {
  id: number;
  /** Set when the invitation is to an existing GitHub account. */
  login?: string;
  /** Set when the invitation is to an e-mail address. */
  email?: string;
}

/**
 * Organisation mode: the account is the person's own, so Revoke removes it from the organisation
 * and cancels its pending invitations; it cannot touch the account itself.
 */
export interface GithubOrganisation {
  readonly mode: 'org';
  /** The organisation's login, as the card names it. */
  readonly org: string;
  /**
   * The login linked to the person's SAML identity (nameId or SCIM userName equal to the UPN).
   * Throws a DirectoryError `rejected` with code `ambiguous` when two logins are linked to it.
   */
  findLogin(userPrincipalName: string): Promise<{ login: string } | GithubNoMatch>;
  /** Undefined when the account is neither a member nor invited through a membership (404). */
  getMembership(login: string): Promise<GithubMembership | undefined>;
  removeMember(login: string): Promise<void>;
  /** Every pending invitation of the organisation, every page. */
  listInvitations(): Promise<GithubInvitation[]>;
  cancelInvitation(id: number): Promise<void>;
}

/** A managed user as the enterprise's SCIM API shows it. */
export interface GithubManagedUser {
  scimId: string;
  userName: string;
  active: boolean;
}

/**
 * Enterprise Managed Users: the enterprise owns the account, so Revoke suspends it through SCIM
 * (active=false, GitHub's "soft deprovisioning"), which a restore can undo.
 */
export interface GithubEnterprise {
  readonly mode: 'emu';
  /** The enterprise's slug, as the card names it. */
  readonly enterprise: string;
  /**
   * The managed user whose SCIM userName is the UPN. Throws a DirectoryError `rejected` with code
   * `ambiguous` when more than one is.
   */
  findManagedUser(userPrincipalName: string): Promise<GithubManagedUser | GithubNoMatch>;
  /** Undefined when the enterprise has no such user any more (404). */
  getManagedUser(scimId: string): Promise<GithubManagedUser | undefined>;
  setManagedUserActive(scimId: string, active: boolean): Promise<void>;
}

export type GithubDirectory = GithubOrganisation | GithubEnterprise;

export const GITHUB = connectorKey<GithubDirectory>('github');
