// What the stand-in org holds: users with Okta's statuses, the sessions and OAuth tokens each one
// has (so a test can see them end), service apps with their registered public keys and granted
// scopes, and the access tokens handed out.
import { randomBytes, type KeyObject } from 'node:crypto';
import type { RegisteredKey } from './client-assertion';

export type OktaStatus =
  | 'STAGED'
  | 'PROVISIONED'
  | 'ACTIVE'
  | 'RECOVERY'
  | 'PASSWORD_EXPIRED'
  | 'LOCKED_OUT'
  | 'SUSPENDED'
  | 'DEPROVISIONED';

export interface StandinOktaUser {
  id: string;
  status: OktaStatus;
  login: string;
  email: string;
  firstName?: string;
  lastName?: string;
  created: string;
  lastUpdated: string;
  statusChanged: string | null;
  /** Okta (IdP) sessions alive for the user. */
  sessions: number;
  /** OAuth/OIDC access and refresh tokens Okta issued to the user. */
  oauthTokens: number;
}

export interface ServiceApp {
  clientId: string;
  keys: RegisteredKey[];
  grantedScopes: Set<string>;
}

export interface IssuedToken {
  token: string;
  clientId: string;
  scopes: string[];
  expiresAtSec: number;
}

/** Okta ids: a three-letter type prefix and 17 more characters (00u… users, 0oa… apps). */
export function oktaId(prefix: '00u' | '0oa'): string {
  return `${prefix}${randomBytes(13).toString('base64url').replace(/[-_]/g, 'x').slice(0, 17)}`;
}

export class OrgState {
  readonly users = new Map<string, StandinOktaUser>();
  readonly apps = new Map<string, ServiceApp>();
  readonly tokens = new Map<string, IssuedToken>();
  /** Every access token handed out, so a test can prove none of them leaked. */
  readonly issuedTokens: string[] = [];
  readonly usedJtis = new Set<string>();

  constructor(private readonly now: () => number) {}

  addUser(
    login: string,
    fields: Partial<Omit<StandinOktaUser, 'id' | 'login'>> = {},
  ): StandinOktaUser {
    const at = new Date(this.now()).toISOString();
    const user: StandinOktaUser = {
      id: oktaId('00u'),
      status: 'ACTIVE',
      login,
      email: login,
      created: at,
      lastUpdated: at,
      statusChanged: null,
      sessions: 0,
      oauthTokens: 0,
      ...fields,
    };
    this.users.set(user.id, user);
    return user;
  }

  registerApp(keys: { kid: string; publicKey: KeyObject }[], grantedScopes: string[]): ServiceApp {
    const app = { clientId: oktaId('0oa'), keys, grantedScopes: new Set(grantedScopes) };
    this.apps.set(app.clientId, app);
    return app;
  }

  setStatus(user: StandinOktaUser, status: OktaStatus): void {
    const at = new Date(this.now()).toISOString();
    user.status = status;
    user.statusChanged = at;
    user.lastUpdated = at;
  }

  /** A user by id, or by login as GET /api/v1/users/{id} also accepts (case-insensitive). */
  findByIdOrLogin(idOrLogin: string): StandinOktaUser | undefined {
    const byId = this.users.get(idOrLogin);
    if (byId) return byId;
    const lower = idOrLogin.toLowerCase();
    return [...this.users.values()].find((u) => u.login.toLowerCase() === lower);
  }
}

/** The user as the Management API returns it (the parts Revoke and the SDK read). */
export function userResource(user: StandinOktaUser, origin: string): Record<string, unknown> {
  return {
    id: user.id,
    status: user.status,
    created: user.created,
    activated: null,
    statusChanged: user.statusChanged,
    lastLogin: null,
    lastUpdated: user.lastUpdated,
    passwordChanged: null,
    type: { id: 'oty1standin0000000' },
    profile: {
      firstName: user.firstName ?? null,
      lastName: user.lastName ?? null,
      mobilePhone: null,
      secondEmail: null,
      login: user.login,
      email: user.email,
    },
    credentials: { provider: { type: 'OKTA', name: 'OKTA' } },
    _links: { self: { href: `${origin}/api/v1/users/${user.id}` } },
  };
}
