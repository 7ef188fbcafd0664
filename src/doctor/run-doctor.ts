// Runs the doctor's checks in order, each only when what it builds on passed (no group check
// without a token, no bind without TLS), and returns one result per line to print.
import type { Config } from '../config';
import { createGraphClient, createGraphCredential } from '../directory/graph';
import { graphOrigin } from '../directory/graph/config';
import { resolveLdapConfig } from '../directory/ldap';
import type { ResolvedLdapConfig } from '../directory/ldap/ldap-directory-config';
import { DirectoryError } from '../core/errors';
import { fail, type CheckResult } from './check-result';
import { checkConfig } from './checks/config-check';
import { checkEntraPermissions } from './checks/entra-permissions';
import { checkEntraToken } from './checks/entra-token';
import { checkGroup, type GroupToCheck } from './checks/groups';
import { checkLdapAccount } from './checks/ldap-account';
import { checkLdapReachable, checkLdapTls } from './checks/ldap-connection';
import { checkManifest } from './checks/manifest-check';
import { checkStore } from './checks/store-check';
import { checkPostgresStore } from './checks/postgres-store-check';
import { parseDatabaseUrl } from '../store';

/** `startup`: only the directory checks, for a bot that has already loaded its config and store. */
export type DoctorScope = 'full' | 'startup';

export async function runDoctor(
  env: NodeJS.ProcessEnv,
  projectRoot: string,
): Promise<CheckResult[]> {
  const { results, config } = checkConfig(env, projectRoot);
  if (!config) return results;
  return [...results, ...(await runChecks(config, projectRoot, 'full'))];
}

export async function runChecks(
  config: Config,
  projectRoot: string,
  scope: DoctorScope,
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  if (scope === 'full') results.push(await storeCheck(config.databaseUrl));
  if (config.directory.mode === 'graph') results.push(...(await graphChecks(config)));
  if (config.ldap) results.push(...(await ldapChecks(config)));
  // Read-only, like every check: credentials and scopes of each configured app's connector.
  for (const connector of config.connectors) results.push(...(await connector.doctor()));
  if (scope === 'full') {
    const manifest = checkManifest(projectRoot, config.bot.appId);
    if (manifest) results.push(manifest);
  }
  return results;
}

async function graphChecks(config: Config): Promise<CheckResult[]> {
  const graph = config.directory;
  if (graph.mode !== 'graph') return [];
  let credential;
  try {
    credential = createGraphCredential(graph);
  } catch (error) {
    return [unexpected('Entra ID credential', error)];
  }
  const scope = `${graphOrigin(graph)}/.default`;
  const token = await checkEntraToken(credential, scope, [graph.clientSecret]);
  if (!token.roles) return [token.result];
  const results = [token.result, ...checkEntraPermissions(token.roles)];
  const client = createGraphClient(credential, graph);
  const groups: GroupToCheck[] = [
    {
      label: 'Approver group',
      variable: 'APPROVER_GROUP_ID',
      id: graph.approverGroupId,
      expectedMembers: config.requiredApprovals,
    },
  ];
  if (config.protectedGroupId) {
    groups.push({
      label: 'Protected group',
      variable: 'PROTECTED_GROUP_ID',
      id: config.protectedGroupId,
      expectedMembers: 1,
    });
  }
  for (const group of groups) results.push(await checkGroup(client, group));
  return results;
}

async function ldapChecks(config: Config): Promise<CheckResult[]> {
  if (!config.ldap) return [];
  let resolved: ResolvedLdapConfig;
  try {
    resolved = resolveLdapConfig(config.ldap);
  } catch {
    return []; // The configuration check has already reported it.
  }
  const reachable = await checkLdapReachable(resolved);
  if (reachable.status === 'fail') return [reachable];
  const tls = await checkLdapTls(resolved);
  if (tls.status === 'fail') return [reachable, tls];
  try {
    return [reachable, tls, ...(await checkLdapAccount(resolved))];
  } catch (error) {
    return [reachable, tls, unexpected('AD rights', error)];
  }
}

function unexpected(name: string, error: unknown): CheckResult {
  if (error instanceof DirectoryError) {
    return fail(name, error.message, error.advice ?? 'See the message above.');
  }
  return fail(
    name,
    `the check itself failed: ${error instanceof Error ? error.message : String(error)}`,
    'Run again with LOG_LEVEL=debug and report this as a bug if it persists.',
  );
}

async function storeCheck(databaseUrl: string): Promise<CheckResult> {
  let location;
  try {
    location = parseDatabaseUrl(databaseUrl);
  } catch {
    return checkStore(databaseUrl); // it words the problem with DATABASE_URL
  }
  return location.driver === 'postgres'
    ? checkPostgresStore(location.connectionString)
    : checkStore(databaseUrl);
}
