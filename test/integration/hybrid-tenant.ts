// A hybrid tenant for end-to-end tests: the HTTPS Entra ID/Graph stand-in and a real Samba AD DC,
// with one user present in both (synced: same sAMAccountName and SID), several registered
// devices, an approver group of two and a requester. The bot reaches AD through a TcpGate, so a
// test can freeze a run in the middle of an AD step.
import { randomBytes } from 'node:crypto';
import { startEntraStandin, type EntraStandin, type StandinDevice } from '../support/entra-standin';
import type { StandinUser } from '../support/entra-standin';
import { ConnectorStandin } from '../support/connector-standin';
import { startSambaDc, type SambaDc } from '../support/samba';
import {
  DONT_EXPIRE_PASSWORD,
  addToGroup,
  createUser,
  readAccountState,
  runTag,
  type AccountState,
  type TestUser,
} from '../support/samba-users';
import { TcpGate } from '../support/tcp-gate';
import type { Person } from '../../src/core/model';
import { CHANNEL_CONVERSATION, TENANT_ID } from '../support/activities';

/** The least-privileged application permissions (src/directory/graph/permissions.ts), no more. */
export const LEAST_PRIVILEGE_ROLES = [
  'User.Read.All',
  'User.EnableDisableAccount.All',
  'User.RevokeSessions.All',
  'Device.ReadWrite.All',
  'GroupMember.Read.All',
  // Names the target's directory roles (a privileged target needs one more approval).
  'RoleManagement.Read.Directory',
];

export const SEEDED_SESSIONS_VALID_FROM = '2024-01-01T00:00:00Z';

export interface Target {
  entra: StandinUser;
  ad: TestUser;
  devices: StandinDevice[];
  /** The AD account before the run. */
  adBefore: AccountState;
}

export class HybridTenant {
  readonly connector = new ConnectorStandin();
  serviceUrl = '';
  standin!: EntraStandin;
  dc!: SambaDc;
  gate!: TcpGate;
  requester!: Person;
  approvers!: [Person, Person];
  private gatePort = 0;
  private approverGroupId = '';
  private clientId = '';
  private readonly clientSecret = randomBytes(24).toString('base64url');
  // A fresh random key per run, like one from Key Vault: the secret scan looks for it too.
  private readonly auditKey = randomBytes(32).toString('base64');
  private bind!: TestUser;
  private readonly tag = runTag();
  private serial = 0;

  async start(): Promise<void> {
    this.dc = await startSambaDc();
    // Teams and Entra ID are one tenant: the activities carry this id, the tokens too.
    this.standin = await startEntraStandin({ tenantId: TENANT_ID });
    this.serviceUrl = await this.connector.start();
    const ldaps = new URL(this.dc.url);
    this.gate = new TcpGate('127.0.0.1', Number(ldaps.port || 636));
    this.gatePort = await this.gate.start();

    // The bot binds as a member of Account Operators, not as a domain admin.
    this.bind = await createUser(this.dc, {
      cn: `svc-revoke ${this.tag}`,
      samAccountName: `svcrev${this.tag}`,
    });
    await addToGroup(this.dc, `CN=Account Operators,CN=Builtin,${this.dc.baseDn}`, this.bind.dn);

    const state = this.standin.state;
    this.clientId = state.addApp({
      roles: LEAST_PRIVILEGE_ROLES,
      secrets: [this.clientSecret],
    }).clientId;
    const person = (upn: string, name: string): Person => {
      const user = state.addUser({ userPrincipalName: upn, displayName: name });
      return { id: user.id, name, upn, channelAccountId: `29:${user.id}` };
    };
    this.requester = person(`sam.${this.tag}@contoso.test`, 'Sam Rivera');
    this.approvers = [
      person(`priya.${this.tag}@contoso.test`, 'Priya Patel'),
      person(`marcus.${this.tag}@contoso.test`, 'Marcus Chen'),
    ];
    this.approverGroupId = state.addGroup({
      displayName: 'Revoke approvers',
      memberIds: this.approvers.map((a) => a.id),
    }).id;
    // Everyone is in the team, so the bot finds the approvers' Teams ids to @mention them.
    for (const p of [this.requester, ...this.approvers]) {
      this.connector.addMember(CHANNEL_CONVERSATION, {
        id: p.channelAccountId ?? '',
        name: p.name,
        aadObjectId: p.id,
        userPrincipalName: p.upn,
      });
    }
  }

  async stop(): Promise<void> {
    await this.gate?.stop();
    await this.standin?.stop();
    await this.connector.stop();
  }

  /** A fresh synced user: an AD account (with a non-default UAC bit) and its Entra twin. */
  async addTarget(deviceCount = 3): Promise<Target> {
    const name = `t${this.tag}${++this.serial}`;
    const ad = await createUser(this.dc, {
      cn: `Target ${name}`,
      samAccountName: name,
      extraUserAccountControl: DONT_EXPIRE_PASSWORD,
    });
    const entra = this.standin.state.addUser({
      userPrincipalName: `${name}@contoso.test`,
      displayName: `Target ${name}`,
      jobTitle: 'Financial Analyst',
      onPremisesSyncEnabled: true,
      onPremisesSamAccountName: ad.samAccountName,
      onPremisesSecurityIdentifier: ad.sid,
      onPremisesUserPrincipalName: ad.userPrincipalName,
      signInSessionsValidFromDateTime: SEEDED_SESSIONS_VALID_FROM,
    });
    const devices = Array.from({ length: deviceCount }, (_, i) =>
      this.standin.state.addDevice({
        displayName: `${name}-laptop-${i + 1}`,
        operatingSystem: 'Windows',
        registeredUserIds: [entra.id],
      }),
    );
    return { entra, ad, devices, adBefore: await readAccountState(this.dc, ad.dn) };
  }

  /** Values that must never show up in the bot's output. */
  secrets(): string[] {
    return [this.clientSecret, this.bind.password, this.auditKey];
  }

  /** Everything the bot needs, as environment variables only: that is the point. */
  env(databaseFile: string): Record<string, string> {
    return {
      AZURE_TENANT_ID: this.standin.tenantId,
      AZURE_CLIENT_ID: this.clientId,
      AZURE_CLIENT_SECRET: this.clientSecret,
      AZURE_AUTHORITY_HOST: this.standin.origin,
      GRAPH_BASE_URL: this.standin.origin,
      APPROVER_GROUP_ID: this.approverGroupId,
      INSECURE_SKIP_BOT_AUTH: 'true',
      // Allowed only on loopback.
      HOST: '127.0.0.1',
      LDAP_URL: `ldaps://localhost:${this.gatePort}`,
      LDAP_BIND_DN: this.bind.dn,
      LDAP_BIND_PASSWORD: this.bind.password,
      LDAP_BASE_DN: this.dc.baseDn,
      LDAP_CA_FILE: this.dc.caFile,
      DATABASE_URL: `sqlite:${databaseFile}`,
      AUDIT_KEY: this.auditKey,
      LOG_LEVEL: 'info',
      // With PostgreSQL another instance takes a dead one's runs over when its lease expires:
      // keep it short. (A restart on a SQLite file takes them over at once.)
      RUN_LEASE_SECONDS: '2',
    };
  }
}
