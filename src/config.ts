// The environment, read once at start and validated: a bad or missing variable stops the bot with
// one line per problem, rather than failing later in the middle of an emergency.
import { readOutreach } from './outreach-config';
import type { OutreachSettings } from './core/outreach/outreach-settings';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { readAuditConfig, type AuditConfig } from './audit/audit-config';
import { scimStepId } from './core/paths/apps';
import { connectorVariables, readConnectors } from './connectors';
import type { ConfiguredConnector } from './connectors/connector-setup';
import { ConfigError, EnvReader, GUID } from './env-reader';
import {
  describePaging,
  PAGING_VARIABLES,
  readPagingConfig,
  type PagingConfig,
} from './paging/paging-config';
import { readStepUp, type StepUpConfig } from './step-up-config';

export { ConfigError } from './env-reader';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface GraphConfig {
  mode: 'graph';
  tenantId: string;
  /** Optional with a managed identity: set it to pick a user-assigned identity. */
  clientId?: string;
  clientSecret?: string;
  certificatePath?: string;
  managedIdentity: boolean;
  authorityHost: string;
  graphBaseUrl: string;
  approverGroupId: string;
}

export interface SandboxConfig {
  mode: 'sandbox';
  dataPath: string;
  /** Delay added to every sandbox call, so a newcomer can watch the card update step by step. */
  latencyMs: number;
  approverGroupId?: string;
  /** The Agents Playground `npm start` runs beside the sandbox bot, for a newcomer's browser. */
  playground: { enabled: boolean; port: number; userUpn?: string };
  /**
   * Variables set that name a real system (SCIM_APPS, LDAP_URL, Graph endpoints or credentials).
   * Read but not refused here, so `revoke doctor` can still check a configured AD; the bot refuses
   * to start with any of them (sandboxRefusals).
   */
  realSystemSettings: string[];
}

export interface LdapConfig {
  url: string;
  bindDn: string;
  bindPassword: string;
  baseDn: string;
  caFile?: string;
  startTls: boolean;
  tlsServerName?: string;
}

export interface BotConfig {
  appId?: string;
  appPassword?: string;
  appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  appTenantId?: string;
  /** Certificate credential instead of a password: thumbprint and PEM private key file. */
  certificateThumbprint?: string;
  certificateKeyFile?: string;
  skipAuth: boolean;
}

/** Where the bot answers and who may use it. */
export interface AccessConfig {
  /**
   * Activities from any other tenant are refused. Undefined only in sandbox mode, where the app
   * fills in the sandbox tenant's id.
   */
  allowedTenantId?: string;
  /** Teams channel ids or conversation ids; empty means every conversation in the tenant. */
  allowedChannelIds: string[];
  requesterGroupId?: string;
  allowManagerApproval: boolean;
  /** Commands (messages) one person may send per minute; card clicks are never limited. */
  commandsPerMinute: number;
}

/** The compromised profile, and the documented lifetimes the "what may still work" section uses. */
export interface ContainmentConfig {
  /** MFA methods registered within this many days are removed by the compromised profile. */
  mfaRecentDays: number;
  /** The group the compromised profile adds the user to; none when unset (sandbox: its own). */
  groupId?: string;
  accessTokenMinutes: number;
  kerberosTicketHours: number;
  /** Minutes after a revocation finishes that both accounts are read again; 0: never. */
  driftCheckMinutes: number;
}

/** Deprovisioning from applications, in every profile. */
export interface AppsConfig {
  /** Service principal object ids of enterprise apps Entra ID provisions. */
  provisioningAppIds: string[];
  /** SCIM 2.0 apps with their own endpoint; each token read from the variable it names. */
  scim: Array<{ name: string; baseUrl: string; tokenEnv: string; token: string }>;
  /** The manual checklist shown on the card after approval. */
  manualTasks: string[];
}

/** Prometheus metrics on their own listener; no port means not served at all. */
export interface MetricsConfig {
  port?: number;
  host: string;
}

export interface Config {
  port: number;
  /**
   * The address /api/messages listens on. Sandbox: 127.0.0.1 unless HOST says otherwise. Real
   * tenant: undefined unless HOST is set, i.e. every interface, as hosting platforms route to it.
   */
  host?: string;
  databaseUrl: string;
  logLevel: LogLevel;
  requiredApprovals: number;
  approvalTimeoutMinutes: number;
  protectedUsers: string[];
  protectedGroupId?: string;
  stepConcurrency: number;
  stepDeadlineMs: number;
  /** A run with no step progress for this long fails its in-flight steps and ends (RUN_STALL_SECONDS). */
  runStallMs: number;
  /** At most one card update per request per this many ms while it runs; 0: one per step save. */
  cardUpdateIntervalMs: number;
  /** How long a run's lease lasts unless renewed: how soon another instance takes over a dead one's run. */
  runLeaseMs: number;
  directory: GraphConfig | SandboxConfig;
  /** Personal-chat cards, reminders and escalation of pending requests. */
  outreach: OutreachSettings;
  ldap?: LdapConfig;
  bot: BotConfig;
  access: AccessConfig;
  containment: ContainmentConfig;
  apps: AppsConfig;
  /** The connectors beyond Microsoft whose variables are set (src/connectors/); none in the sandbox. */
  connectors: ConfiguredConnector[];
  metrics: MetricsConfig;
  /** Check the set-up (revoke doctor's cheap checks) after start and log what is wrong. */
  startupChecks: boolean;
  batch: BatchConfig;
  /** The audit trail's key (AUDIT_KEY) and its external copy (AUDIT_SINK). */
  audit: AuditConfig;
  /** Step-up MFA on every approval (APPROVAL_STEP_UP); see src/step-up-config.ts. */
  stepUp: StepUpConfig;
  /** Paging on-call (docs/paging.md): PagerDuty and/or the alert webhook; none in the sandbox. */
  paging: PagingConfig;
}

/** Mass revocation (`users …`) and the client-side pacing of Graph calls. */
export interface BatchConfig {
  /** Graph identity resource units per 10 s (3,500 / 5,000 / 8,000 by tenant size). */
  graphUnitsPer10s: number;
  /** Graph writes per 150 s per app and tenant (documented: 3,000). */
  graphWritesPer150s: number;
  /** At most one update of a batch's card this often. */
  progressIntervalMs: number;
  /** Children of a batch whose runs go on at once. */
  concurrentUsers: number;
  /** Send device disables that are ready together as one Graph $batch (20 per round trip). */
  deviceBatch: boolean;
  /** GRAPH_WRITE_BATCH: account disables, revocations and device disables share $batch round trips. */
  writeBatch: boolean;
}

const isSet = (value: string | undefined): boolean => value !== undefined;

/**
 * What would let the sandbox reach a real system, and why each is refused there. The sandbox has
 * no bot authentication and lets anyone "act as" anyone: behind it, a real directory or app would
 * be disabled by whoever can reach the port. PROVISIONING_APPS stays allowed (the sandbox fakes
 * those apps itself), and so does DATABASE_URL (the store, not a target; any database is fine).
 */
const REAL_SYSTEM_SETTINGS: ReadonlyArray<{
  name: string;
  why: string;
  isSet: (value: string | undefined) => boolean;
}> = [
  { name: 'SCIM_APPS', why: 'it would send real PATCH active=false requests to those apps', isSet },
  { name: 'LDAP_URL', why: 'it names a real domain controller', isSet },
  { name: 'GRAPH_BASE_URL', why: 'it names a Microsoft Graph endpoint', isSet },
  { name: 'AZURE_AUTHORITY_HOST', why: 'it names an Entra ID sign-in endpoint', isSet },
  { name: 'AZURE_CLIENT_ID', why: 'it is a credential for a real tenant', isSet },
  { name: 'AZURE_CLIENT_SECRET', why: 'it is a credential for a real tenant', isSet },
  { name: 'AZURE_CLIENT_CERTIFICATE_PATH', why: 'it is a credential for a real tenant', isSet },
  {
    name: 'AZURE_USE_MANAGED_IDENTITY',
    why: "it would use this host's identity in a real tenant",
    isSet: (value) => value !== undefined && !/^(false|0|no)$/i.test(value),
  },
];

/** A connector's variables, refused in the sandbox like the settings above. */
function connectorSettings(): typeof REAL_SYSTEM_SETTINGS {
  return [
    ...connectorVariables().map((name) => ({
      name,
      why: 'it configures a connector to a real app',
      isSet,
    })),
    ...PAGING_VARIABLES.map((name) => ({ name, why: 'it would page a real on-call rota', isSet })),
  ];
}

/** One line per setting that stops the sandbox from starting (none with a real tenant). */
export function sandboxRefusals(config: Config): string[] {
  if (config.directory.mode !== 'sandbox') return [];
  return config.directory.realSystemSettings.map((name) => {
    const why =
      [...REAL_SYSTEM_SETTINGS, ...connectorSettings()].find((s) => s.name === name)?.why ??
      'it names a real system';
    return `${name} is set but AZURE_TENANT_ID is not: the sandbox never reaches a real system, and ${why}. Unset ${name} to try the sandbox, or set AZURE_TENANT_ID (with bot authentication) to use your tenant.`;
  });
}

/** Refuses to start a sandbox whose settings name a real system. */
export function assertSandboxIsolated(config: Config): void {
  const refusals = sandboxRefusals(config);
  if (refusals.length > 0) throw new ConfigError(refusals);
}

/** 127.0.0.0/8, ::1 or localhost: an address only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const value = host.toLowerCase();
  return (
    value === 'localhost' ||
    value === '::1' ||
    value === '::ffff:127.0.0.1' ||
    (isIP(value) === 4 && value.startsWith('127.'))
  );
}

/**
 * Whom a store's data belongs to, recorded in the database at its first start: "sandbox", or the
 * real tenant's id (a GUID even when AZURE_TENANT_ID is the primary domain).
 */
export function storeTenant(config: Config): string {
  if (config.directory.mode === 'sandbox') return 'sandbox';
  const tenantId = config.directory.tenantId.toLowerCase();
  return GUID.test(tenantId) ? tenantId : (config.access.allowedTenantId ?? tenantId);
}

function readBatch(read: EnvReader): BatchConfig {
  return {
    graphUnitsPer10s: read.integer('GRAPH_RESOURCE_UNITS_PER_10S', 3_500, 10, 100_000),
    graphWritesPer150s: read.integer('GRAPH_WRITES_PER_150S', 3_000, 10, 100_000),
    // Teams allows about 1,800 operations per thread per hour: one every 2 s at most.
    progressIntervalMs: read.integer('BATCH_PROGRESS_SECONDS', 5, 2, 600) * 1_000,
    concurrentUsers: read.integer('BATCH_CONCURRENT_USERS', 50, 1, 1_000),
    deviceBatch: read.boolean('GRAPH_DEVICE_BATCH', false),
    writeBatch: read.boolean('GRAPH_WRITE_BATCH', false),
  };
}

export function loadConfig(env: NodeJS.ProcessEnv, projectRoot: string): Config {
  const read = new EnvReader(env);
  const tenantId = read.optional('AZURE_TENANT_ID');
  const directory: GraphConfig | SandboxConfig = tenantId
    ? readGraph(read, tenantId)
    : {
        mode: 'sandbox',
        dataPath: resolve(projectRoot, read.optional('SANDBOX_DATA') ?? 'sandbox/tenant.json'),
        latencyMs: read.integer('SANDBOX_LATENCY_MS', 300, 0, 60_000),
        approverGroupId: read.guid('APPROVER_GROUP_ID'),
        playground: {
          enabled: read.oneOf('PLAYGROUND', ['on', 'off'] as const, 'on') === 'on',
          port: read.integer('PLAYGROUND_PORT', 56150, 1, 65_535),
          userUpn: read.optional('PLAYGROUND_USER'),
        },
        realSystemSettings: [...REAL_SYSTEM_SETTINGS, ...connectorSettings()]
          .filter(({ name, isSet }) => isSet(read.optional(name)))
          .map(({ name }) => name),
      };
  // The sandbox has no bot authentication and offers "act as": only this machine may reach it.
  const host = read.host('HOST') ?? (directory.mode === 'sandbox' ? '127.0.0.1' : undefined);
  const bot = readBot(read, directory.mode === 'graph', host);
  const config: Config = {
    port: read.integer('PORT', 3978, 1, 65_535),
    host,
    databaseUrl: read.optional('DATABASE_URL') ?? 'sqlite:./data/revoke.db',
    logLevel: read.oneOf('LOG_LEVEL', ['debug', 'info', 'warn', 'error'] as const, 'info'),
    requiredApprovals: read.integer('REQUIRED_APPROVALS', 2, 1, 10),
    approvalTimeoutMinutes: read.integer('APPROVAL_TIMEOUT_MINUTES', 60, 1, 7 * 24 * 60),
    protectedUsers: read.list('PROTECTED_USERS').map((entry) => entry.toLowerCase()),
    protectedGroupId: read.guid('PROTECTED_GROUP_ID'),
    stepConcurrency: read.integer('STEP_CONCURRENCY', 4, 1, 64),
    stepDeadlineMs: read.integer('STEP_DEADLINE_SECONDS', 120, 5, 3_600) * 1_000,
    runStallMs: read.integer('RUN_STALL_SECONDS', 300, 10, 86_400) * 1_000,
    cardUpdateIntervalMs: read.integer('CARD_UPDATE_INTERVAL_MS', 1_000, 0, 60_000),
    runLeaseMs: read.integer('RUN_LEASE_SECONDS', 30, 1, 3_600) * 1_000,
    directory,
    ldap: readLdap(read),
    bot,
    access: readAccess(read, directory, bot),
    containment: {
      mfaRecentDays: read.integer('MFA_RECENT_DAYS', 7, 1, 365),
      groupId: read.guid('CONTAINMENT_GROUP_ID'),
      // Entra ID lets a token lifetime policy set 10 minutes to 1 day.
      accessTokenMinutes: read.integer('ACCESS_TOKEN_LIFETIME_MINUTES', 60, 10, 1_440),
      kerberosTicketHours: read.integer('KERBEROS_TICKET_HOURS', 10, 1, 168),
      // Entra Connect syncs every 30 minutes by default: 40 lets one sync cycle pass.
      driftCheckMinutes: read.integer('DRIFT_CHECK_MINUTES', 40, 0, 10_080),
    },
    apps: readApps(read),
    // The sandbox refuses their variables (realSystemSettings), so it never reads them.
    connectors: directory.mode === 'graph' ? readConnectors(read) : [],
    metrics: readMetrics(read),
    startupChecks: read.boolean('STARTUP_CHECKS', true),
    batch: readBatch(read),
    audit: readAuditConfig(read, directory.mode === 'graph'),
    stepUp: { mode: 'off', maxAgeSeconds: 300 },
    outreach: { personalCards: false, maxPeople: 0, reminderMinutes: 0 },
    paging: directory.mode === 'graph' ? readPagingConfig(read) : {},
  };
  config.outreach = readOutreach(read, {
    sandbox: directory.mode === 'sandbox',
    approvalTimeoutMinutes: config.approvalTimeoutMinutes,
  });
  config.stepUp = readStepUp(read, {
    sandbox: directory.mode === 'sandbox',
    botAppId: bot.appId,
    tenantId: config.access.allowedTenantId,
  });
  // A step still inside its deadline is still making progress: the watchdog must outlast it.
  if (config.runStallMs <= config.stepDeadlineMs) {
    read.problem(
      `RUN_STALL_SECONDS (${config.runStallMs / 1000}) must be greater than STEP_DEADLINE_SECONDS (${config.stepDeadlineMs / 1000}): a step still retrying within its deadline is not stalled.`,
    );
  }
  if (config.metrics.port !== undefined && config.metrics.port === config.port) {
    read.problem('METRICS_PORT must differ from PORT: metrics are served on their own listener.');
  }
  read.throwIfProblems();
  return config;
}

const MAX_MANUAL_TASKS = 20;
const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;

function readApps(read: EnvReader): AppsConfig {
  const provisioningAppIds = read.list('PROVISIONING_APPS');
  for (const [index, id] of provisioningAppIds.entries()) {
    if (!GUID.test(id))
      read.problem(`PROVISIONING_APPS must list service principal object ids (got "${id}").`);
    // One app, one step: a second copy would put two steps with one id into every plan.
    const first = provisioningAppIds.findIndex((other) => other.toLowerCase() === id.toLowerCase());
    if (first < index)
      read.problem(
        `PROVISIONING_APPS lists the same app twice ("${provisioningAppIds[first] ?? ''}" and "${id}"): list each service principal once.`,
      );
  }
  const manualTasks = (read.optional('MANUAL_DEPROVISION_TASKS') ?? '')
    .split('|')
    .map((task) => task.trim())
    .filter((task) => task.length > 0);
  if (manualTasks.length > MAX_MANUAL_TASKS || manualTasks.some((t) => t.length > 200)) {
    read.problem(
      `MANUAL_DEPROVISION_TASKS takes at most ${MAX_MANUAL_TASKS} tasks of at most 200 characters each.`,
    );
  }
  return { provisioningAppIds, scim: readScimApps(read), manualTasks };
}

function readScimApps(read: EnvReader): AppsConfig['scim'] {
  const raw = read.optional('SCIM_APPS');
  if (raw === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  const shape =
    'SCIM_APPS must be a JSON list like [{"name":"Acme","baseUrl":"https://acme.example/scim/v2","tokenEnv":"SCIM_TOKEN_ACME"}]';
  if (!Array.isArray(parsed)) {
    read.problem(`${shape}.`);
    return [];
  }
  const apps: AppsConfig['scim'] = [];
  for (const entry of parsed as unknown[]) {
    const { name, baseUrl, tokenEnv } =
      typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : {};
    if (
      typeof name !== 'string' ||
      name.trim() === '' ||
      typeof baseUrl !== 'string' ||
      typeof tokenEnv !== 'string'
    ) {
      read.problem(`${shape}; every entry needs name, baseUrl and tokenEnv.`);
      continue;
    }
    let url: URL | undefined;
    try {
      url = new URL(baseUrl);
    } catch {
      url = undefined;
    }
    // The bearer token goes with every request: never over plain HTTP.
    if (!url || url.protocol !== 'https:') {
      read.problem(`SCIM_APPS: the baseUrl of ${name} must be an https:// URL.`);
      continue;
    }
    if (!ENV_NAME.test(tokenEnv)) {
      read.problem(`SCIM_APPS: the tokenEnv of ${name} must be an environment variable name.`);
      continue;
    }
    if (apps.some((app) => app.name.toLowerCase() === name.trim().toLowerCase())) {
      read.problem(`SCIM_APPS names ${name} twice.`);
      continue;
    }
    // Each app's step is named from the app: two names that give one step id would be one step.
    const clash = apps.find((app) => scimStepId(app.name) === scimStepId(name.trim()));
    if (clash) {
      read.problem(
        `SCIM_APPS: "${clash.name}" and "${name.trim()}" both give the step id ${scimStepId(name.trim())}: rename one so the names differ in more than case, spaces and punctuation.`,
      );
      continue;
    }
    const token = read.optional(tokenEnv);
    if (token === undefined) {
      read.problem(`${tokenEnv} is required: the bearer token of the SCIM app ${name}.`);
      continue;
    }
    apps.push({ name: name.trim(), baseUrl: baseUrl.replace(/\/+$/, ''), tokenEnv, token });
  }
  return apps;
}

function readGraph(read: EnvReader, tenantId: string): GraphConfig {
  if (!GUID.test(tenantId) && !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(tenantId)) {
    read.problem('AZURE_TENANT_ID must be the tenant id (a GUID) or its primary domain.');
  }
  const clientSecret = read.optional('AZURE_CLIENT_SECRET');
  const certificatePath = read.optional('AZURE_CLIENT_CERTIFICATE_PATH');
  const managedIdentity = read.boolean('AZURE_USE_MANAGED_IDENTITY', false);
  const ways = [clientSecret, certificatePath, managedIdentity ? 'yes' : undefined].filter(
    Boolean,
  ).length;
  if (ways === 0) {
    read.problem(
      'No Entra ID credential: set AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH, or AZURE_USE_MANAGED_IDENTITY=true.',
    );
  } else if (ways > 1) {
    read.problem(
      'Set only one of AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH and AZURE_USE_MANAGED_IDENTITY.',
    );
  }
  const approverGroupId = read.guid('APPROVER_GROUP_ID');
  if (!approverGroupId)
    read.problem(
      'APPROVER_GROUP_ID is required with a real tenant: the object id of the approver group.',
    );
  return {
    mode: 'graph',
    tenantId,
    // With a managed identity the client id is optional: it picks a user-assigned identity.
    clientId: managedIdentity
      ? read.optional('AZURE_CLIENT_ID')
      : read.required(
          'AZURE_CLIENT_ID',
          'the application (client) id of the Revoke app registration',
        ),
    clientSecret,
    certificatePath,
    managedIdentity,
    authorityHost: read.httpsUrl('AZURE_AUTHORITY_HOST', 'https://login.microsoftonline.com'),
    graphBaseUrl: read.httpsUrl('GRAPH_BASE_URL', 'https://graph.microsoft.com'),
    approverGroupId: approverGroupId ?? '',
  };
}

function readBot(read: EnvReader, realTenant: boolean, host: string | undefined): BotConfig {
  const appId = read.optional('MicrosoftAppId');
  const skipAuth = read.boolean('INSECURE_SKIP_BOT_AUTH', false);
  if (realTenant && !appId && !skipAuth) {
    read.problem(
      'MicrosoftAppId is required with a real tenant: without it anyone who can reach /api/messages could forge approvals. (INSECURE_SKIP_BOT_AUTH=true overrides this for local testing only, with HOST=127.0.0.1.)',
    );
  }
  // Without bot authentication anyone who reaches the port is "Teams": with a real tenant that
  // must be nobody but this machine.
  if (realTenant && skipAuth && (host === undefined || !isLoopbackHost(host))) {
    read.problem(
      `INSECURE_SKIP_BOT_AUTH=true with a real tenant needs HOST=127.0.0.1 (or ::1, localhost), got ${host === undefined ? 'HOST unset (every interface)' : `HOST=${host}`}: anyone who can reach an unauthenticated /api/messages can forge approvals.`,
    );
  }
  const appType = read.oneOf(
    'MicrosoftAppType',
    ['MultiTenant', 'SingleTenant', 'UserAssignedMSI'] as const,
    'SingleTenant',
  );
  const appTenantId = read.optional('MicrosoftAppTenantId');
  if (appId && appType === 'SingleTenant' && !appTenantId) {
    read.problem('MicrosoftAppTenantId is required when MicrosoftAppType is SingleTenant.');
  }
  const appPassword = read.optional('MicrosoftAppPassword');
  const certificateThumbprint = read.optional('MicrosoftAppCertificateThumbprint');
  const certificateKeyFile = read.optional('MicrosoftAppCertificateKeyFile');
  if ((certificateThumbprint === undefined) !== (certificateKeyFile === undefined)) {
    read.problem(
      'Set both MicrosoftAppCertificateThumbprint and MicrosoftAppCertificateKeyFile to use a certificate, or neither.',
    );
  }
  if (appPassword && certificateThumbprint) {
    read.problem('Set only one of MicrosoftAppPassword and the MicrosoftAppCertificate* pair.');
  }
  return {
    appId,
    appPassword,
    appType,
    appTenantId,
    certificateThumbprint,
    certificateKeyFile,
    skipAuth,
  };
}

function readAccess(
  read: EnvReader,
  directory: GraphConfig | SandboxConfig,
  bot: BotConfig,
): AccessConfig {
  const explicit = read.guid('ALLOWED_TENANT_ID');
  const graphTenant =
    directory.mode === 'graph' && GUID.test(directory.tenantId) ? directory.tenantId : undefined;
  const allowedTenantId = explicit ?? bot.appTenantId ?? graphTenant;
  if (directory.mode === 'graph' && allowedTenantId === undefined) {
    read.problem(
      'ALLOWED_TENANT_ID is required when neither MicrosoftAppTenantId nor AZURE_TENANT_ID is a tenant id (GUID): Revoke must know which tenant may use it.',
    );
  }
  const allowedChannelIds = read.list('ALLOWED_CHANNEL_IDS');
  for (const id of allowedChannelIds) {
    if (!/^[^\s;]{3,256}$/.test(id)) {
      read.problem(
        `ALLOWED_CHANNEL_IDS entries must be Teams channel or conversation ids like 19:…@thread.tacv2 (got "${id.slice(0, 60)}").`,
      );
    }
  }
  return {
    allowedTenantId: allowedTenantId?.toLowerCase(),
    allowedChannelIds,
    requesterGroupId: read.guid('REQUESTER_GROUP_ID'),
    allowManagerApproval: read.boolean('ALLOW_MANAGER_APPROVAL', false),
    commandsPerMinute: read.integer('COMMANDS_PER_MINUTE', 10, 1, 600),
  };
}

function readMetrics(read: EnvReader): MetricsConfig {
  const host = read.host('METRICS_HOST') ?? '127.0.0.1';
  if (read.optional('METRICS_PORT') === undefined) return { host };
  return { port: read.integer('METRICS_PORT', 9464, 1, 65_535), host };
}

function readLdap(read: EnvReader): LdapConfig | undefined {
  const url = read.optional('LDAP_URL');
  if (!url) return undefined;
  const startTls = read.boolean('LDAP_STARTTLS', false);
  if (!/^ldaps?:\/\/[^/\s]+\/?$/i.test(url)) {
    read.problem(
      'LDAP_URL must look like ldaps://dc1.contoso.com:636 (or ldap://… with LDAP_STARTTLS=true).',
    );
  } else if (url.toLowerCase().startsWith('ldap://') && !startTls) {
    read.problem(
      'LDAP_URL is plain ldap:// without LDAP_STARTTLS=true: AD only accepts password resets over an encrypted connection. Use ldaps:// or set LDAP_STARTTLS=true.',
    );
  }
  return {
    url,
    bindDn: read.required('LDAP_BIND_DN', 'the DN of the service account Revoke binds as'),
    bindPassword: read.required('LDAP_BIND_PASSWORD', 'the password of that service account'),
    baseDn: read.required('LDAP_BASE_DN', 'where to search for users, e.g. DC=contoso,DC=com'),
    caFile: read.optional('LDAP_CA_FILE'),
    startTls,
    tlsServerName: read.optional('LDAP_TLS_SERVERNAME'),
  };
}

/** What is safe to log about the configuration at start: no secrets, only whether they are set. */
export function describeConfig(config: Config): Record<string, unknown> {
  return {
    mode: config.directory.mode,
    host: config.host ?? 'every interface',
    port: config.port,
    database: config.databaseUrl.split(':')[0],
    requiredApprovals: config.requiredApprovals,
    approvalTimeoutMinutes: config.approvalTimeoutMinutes,
    onPremAd: config.ldap
      ? config.ldap.url
      : config.directory.mode === 'sandbox'
        ? 'sandbox'
        : 'not configured',
    botAuth: config.bot.appId ? `app ${config.bot.appId}` : 'disabled',
    allowedTenant: config.access.allowedTenantId ?? 'sandbox tenant',
    allowedChannels: config.access.allowedChannelIds.length || 'any',
    requesterGroup: config.access.requesterGroupId ?? 'anyone in the tenant',
    managerApproval: config.access.allowManagerApproval,
    protectedUsers: config.protectedUsers.length,
    provisioningApps: config.apps.provisioningAppIds.length,
    scimApps: config.apps.scim.map((app) => app.name),
    connectors: Object.fromEntries(config.connectors.map((c) => [c.name, c.describe()])),
    manualTasks: config.apps.manualTasks.length,
    auditKey: config.audit.keyring?.current.id ?? 'sandbox key file',
    auditSink: config.audit.sink.kind,
    approvalStepUp: config.stepUp.mode,
    approverPersonalChats: config.outreach.personalCards,
    reminderMinutes: config.outreach.reminderMinutes || 'off',
    escalation: config.outreach.escalation ?? 'off',
    paging: describePaging(config.paging),
  };
}
