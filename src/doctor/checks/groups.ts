// The approver group (and the protected group) exist and have members. Read-only: GET the group
// and the first page of its members, nothing else.
import type { Client } from '@microsoft/microsoft-graph-client';
import { fail, ok, warn, type CheckResult } from '../check-result';
import { GROUP_READ_PERMISSION } from '../required-permissions';

export interface GroupToCheck {
  /** "Approver group" or "Protected group". */
  label: string;
  variable: 'APPROVER_GROUP_ID' | 'PROTECTED_GROUP_ID';
  id: string;
  /** Fewer direct members than this is worth a warning (the approver group: REQUIRED_APPROVALS). */
  expectedMembers: number;
}

const TIMEOUT_MS = 15_000;

export async function checkGroup(client: Client, group: GroupToCheck): Promise<CheckResult> {
  const path = `/groups/${encodeURIComponent(group.id)}`;
  let displayName: string;
  try {
    const found = (await client
      .api(path)
      .select(['id', 'displayName'])
      .option('signal', AbortSignal.timeout(TIMEOUT_MS))
      .get()) as { displayName?: string };
    displayName = found.displayName ?? group.id;
  } catch (error) {
    return failure(group, error);
  }
  let members: unknown[];
  try {
    const page = (await client
      .api(`${path}/members`)
      .select(['id'])
      .top(Math.max(1, group.expectedMembers))
      .option('signal', AbortSignal.timeout(TIMEOUT_MS))
      .get()) as { value?: unknown[] };
    members = page.value ?? [];
  } catch (error) {
    return failure(group, error);
  }
  const name = `${group.label} "${displayName}"`;
  if (members.length === 0) {
    return fail(
      name,
      'exists but has no members',
      group.variable === 'APPROVER_GROUP_ID'
        ? `Nobody can approve a revocation: add at least ${group.expectedMembers} people to the group in Entra ID.`
        : 'It protects nobody: add the break-glass and service accounts to it, or unset PROTECTED_GROUP_ID and list them in PROTECTED_USERS.',
    );
  }
  if (members.length < group.expectedMembers) {
    return warn(
      name,
      `has ${members.length} direct member(s), fewer than REQUIRED_APPROVALS=${group.expectedMembers}`,
      'Unless members come through nested groups, add approvers so that a request can reach its approvals.',
    );
  }
  return ok(name, `exists and has members`);
}

function failure(group: GroupToCheck, error: unknown): CheckResult {
  const status = statusOf(error);
  const name = `${group.label} ${group.id}`;
  if (status === 404 || status === 400) {
    return fail(
      name,
      'not found in the tenant',
      `Set ${group.variable} to the group's Object ID (Entra admin center > Groups > the group > Overview), not its name.`,
    );
  }
  if (status === 403) {
    return fail(
      name,
      'Microsoft Graph refused to read the group (403)',
      `Grant the Revoke app registration the application permission ${GROUP_READ_PERMISSION}, then grant admin consent.`,
    );
  }
  return fail(
    name,
    `could not be read: ${error instanceof Error ? error.message : String(error)}`,
    'Check that this host reaches GRAPH_BASE_URL, then run again.',
  );
}

function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('statusCode' in error)) return undefined;
  return typeof error.statusCode === 'number' ? error.statusCode : undefined;
}
