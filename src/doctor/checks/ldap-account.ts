// On-premises AD: does the bind account bind, and may it do what the AD steps do (write
// userAccountControl, reset passwords) on the accounts under LDAP_BASE_DN? Everything here is a
// read: the rights are read from what AD computes (allowedAttributesEffective) and from the
// accounts' own ACLs, never by trying a write.
import type { Entry } from 'ldapts';
import { DirectoryError } from '../../core/errors';
import type { ResolvedLdapConfig } from '../../directory/ldap/ldap-directory-config';
import { DELEGATION_ADVICE } from '../../directory/ldap/ldap-errors';
import {
  createLdapClient,
  withLdapSession,
  type LdapClient,
} from '../../directory/ldap/ldap-session';
import { sidFromBuffer } from '../../directory/ldap/security-identifier';
import { SdFlagsControl } from '../ad/sd-flags-control';
import { controlAccessRight, readDacl, RESET_PASSWORD_RIGHT } from '../ad/security-descriptor';
import { fail, ok, warn, type CheckResult } from '../check-result';

/** How many accounts the rights are sampled on: enough to notice an OU without delegation. */
const SAMPLE_SIZE = 5;

/** Every authenticated session carries these, though tokenGroups does not list them. */
const IMPLICIT_SIDS = ['S-1-1-0', 'S-1-5-11'];

const WELL_KNOWN_GROUPS: Record<string, string> = {
  'S-1-5-32-548': 'Account Operators',
  'S-1-5-32-544': 'Administrators',
};

/** Domain-relative RIDs of groups worth naming. */
const DOMAIN_GROUPS: Record<string, string> = {
  '512': 'Domain Admins',
  '519': 'Enterprise Admins',
};

const SAMPLE_FILTER = '(&(objectCategory=person)(objectClass=user)(!(adminCount=1)))';

export async function checkLdapAccount(config: ResolvedLdapConfig): Promise<CheckResult[]> {
  try {
    return await withLdapSession(config, createLdapClient, async (client) => [
      ok('AD bind', `bound as ${config.bindDn}`),
      ...(await checkRights(client, config)),
    ]);
  } catch (error) {
    if (error instanceof DirectoryError) {
      const name = error.message.includes('bind') ? 'AD bind' : 'AD connection';
      return [
        fail(
          name,
          error.message,
          error.advice ?? 'Check LDAP_URL, LDAP_BIND_DN and LDAP_BIND_PASSWORD.',
        ),
      ];
    }
    throw error;
  }
}

async function checkRights(client: LdapClient, config: ResolvedLdapConfig): Promise<CheckResult[]> {
  const self = await readBindAccount(client, config);
  if (!self) {
    return [
      fail(
        'AD rights',
        `the bind account ${config.bindDn} cannot read its own entry`,
        'Set LDAP_BIND_DN to the distinguished name of the service account.',
      ),
    ];
  }
  const groups = knownGroups(self.sids);
  const sample = await sampleAccounts(client, config, self.dn);
  if (sample.length === 0) {
    return [
      warn(
        'AD rights',
        `no ordinary user account under ${config.baseDn} to check the rights on`,
        'Check LDAP_BASE_DN (users are searched in its subtree).',
      ),
    ];
  }
  let canWriteUac = 0;
  let canReset = 0;
  const denied: string[] = [];
  for (const dn of sample) {
    const entry = await readTarget(client, dn);
    const writable = asStrings(entry?.['allowedAttributesEffective']).map((a) => a.toLowerCase());
    if (writable.includes('useraccountcontrol')) canWriteUac++;
    const sd = entry?.['nTSecurityDescriptor'];
    if (Buffer.isBuffer(sd)) {
      const decision = controlAccessRight(readDacl(sd), self.sids, RESET_PASSWORD_RIGHT);
      if (decision.granted) canReset++;
      else if (decision.deniedBy) denied.push(decision.deniedBy);
    }
  }
  const via = groups.length > 0 ? ` (member of ${groups.join(', ')})` : '';
  const on = `on ${sample.length} sampled account(s) under ${config.baseDn}${via}`;
  const fix = DELEGATION_ADVICE;
  return [
    canWriteUac === sample.length
      ? ok('AD right to disable accounts', `may write userAccountControl ${on}`)
      : fail(
          'AD right to disable accounts',
          `may write userAccountControl on ${canWriteUac} of ${sample.length} sampled account(s) under ${config.baseDn}${via}`,
          fix,
        ),
    canReset === sample.length
      ? ok('AD right to reset passwords', `holds the Reset Password right ${on}`)
      : fail(
          'AD right to reset passwords',
          `holds the Reset Password right on ${canReset} of ${sample.length} sampled account(s) under ${config.baseDn}${via}${denied.length > 0 ? `; an explicit deny applies to ${denied[0]}` : ''}`,
          fix,
        ),
  ];
}

interface BindAccount {
  dn: string;
  /** The account's SID, its groups' SIDs (transitive, from tokenGroups) and the implicit ones. */
  sids: Set<string>;
}

async function readBindAccount(
  client: LdapClient,
  config: ResolvedLdapConfig,
): Promise<BindAccount | undefined> {
  const { searchEntries } = await client
    .search(config.bindDn, {
      scope: 'base',
      attributes: ['objectSid', 'tokenGroups'],
      explicitBufferAttributes: ['objectSid', 'tokenGroups'],
    })
    .catch(() => ({ searchEntries: [] as Entry[] }));
  const entry = searchEntries[0];
  if (!entry || !Buffer.isBuffer(entry['objectSid'])) return undefined;
  const sids = new Set([sidFromBuffer(entry['objectSid']), ...IMPLICIT_SIDS]);
  const tokenGroups = entry['tokenGroups'];
  for (const sid of Array.isArray(tokenGroups) ? tokenGroups : [tokenGroups]) {
    if (Buffer.isBuffer(sid)) sids.add(sidFromBuffer(sid));
  }
  return { dn: entry.dn, sids };
}

function knownGroups(sids: ReadonlySet<string>): string[] {
  const names: string[] = [];
  for (const sid of sids) {
    const wellKnown = WELL_KNOWN_GROUPS[sid];
    if (wellKnown) names.push(wellKnown);
    const rid = /^S-1-5-21-\d+-\d+-\d+-(\d+)$/.exec(sid)?.[1];
    const domainGroup = rid ? DOMAIN_GROUPS[rid] : undefined;
    if (domainGroup) names.push(domainGroup);
  }
  return names;
}

async function sampleAccounts(
  client: LdapClient,
  config: ResolvedLdapConfig,
  selfDn: string,
): Promise<string[]> {
  const { searchEntries } = await client.search(config.baseDn, {
    scope: 'sub',
    filter: SAMPLE_FILTER,
    attributes: ['distinguishedName'],
    sizeLimit: SAMPLE_SIZE + 1,
  });
  return searchEntries
    .map((e) => e.dn)
    .filter((dn) => dn.toLowerCase() !== selfDn.toLowerCase())
    .slice(0, SAMPLE_SIZE);
}

async function readTarget(client: LdapClient, dn: string): Promise<Entry | undefined> {
  const { searchEntries } = await client.search(
    dn,
    {
      scope: 'base',
      attributes: ['allowedAttributesEffective', 'nTSecurityDescriptor'],
      explicitBufferAttributes: ['nTSecurityDescriptor'],
    },
    new SdFlagsControl(),
  );
  return searchEntries[0];
}

function asStrings(value: unknown): string[] {
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return values.filter((v): v is string => typeof v === 'string');
}
