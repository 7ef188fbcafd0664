// Reading what Entra ID's provisioning service answers: which synchronization rule provisions
// users, and what an on-demand run reported. Graph returns the run's report as a JSON string inside
// a stringKeyStringValuePair, whose shape Microsoft does not version; it is read defensively, only
// the step names and statuses are kept (the details may quote attribute values), and a report that
// cannot be read is an error rather than a success.
import type { ProvisioningResult } from '../../core/app-ports';
import { DirectoryError } from '../../core/errors';
import { asJson, type Json } from './mapping';

/** The rule that maps Entra ID users into the app; the first rule when none says so. */
export function userRuleId(schema: unknown): string | undefined {
  const rules = asJson(schema)['synchronizationRules'];
  if (!Array.isArray(rules)) return undefined;
  const all = rules.map(asJson);
  const forUsers = all.find((rule) => {
    const mappings = rule['objectMappings'];
    return (
      Array.isArray(mappings) &&
      mappings.map(asJson).some((m) => m['sourceObjectName'] === 'User' && m['enabled'] !== false)
    );
  });
  const id = (forUsers ?? all[0])?.['id'];
  return typeof id === 'string' && id !== '' ? id : undefined;
}

export function firstJobId(jobs: unknown): string | undefined {
  const value = asJson(jobs)['value'];
  const id = Array.isArray(value) ? asJson(value[0])['id'] : undefined;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

const KNOWN_STATUSES = new Set(['success', 'warning', 'skipped', 'failure']);

/**
 * The exports that take the user's account away in the app: a soft delete (active=false, what the
 * default SCIM mappings do for a user out of scope) or a delete. Their names are the provisioning
 * logs' event names; an EntryExportUpdate alone leaves the account active.
 */
const DEPROVISIONING_EXPORTS = new Set(['entryexportupdatesoftdelete', 'entryexportdelete']);

/**
 * Entra's verdict for the user. A report that cannot be read (not JSON, no provisioning steps, a
 * step without a known status) is an error, never a success: Revoke would otherwise claim a
 * deprovisioning it has no evidence of.
 */
export function provisioningResult(response: unknown): ProvisioningResult {
  const raw = asJson(response)['value'];
  let report: unknown;
  try {
    report = typeof raw === 'string' ? JSON.parse(raw) : raw;
  } catch {
    throw unreadableReport('its report is not JSON');
  }
  const entries: Json[] = (Array.isArray(report) ? report : [report]).map(asJson);
  const steps = entries.flatMap((entry) => {
    const list = entry['provisioningSteps'];
    return Array.isArray(list) ? list.map(asJson) : [];
  });
  if (steps.length === 0) throw unreadableReport('its report lists no provisioning steps');
  const statusOf = (step: Json) =>
    typeof step['status'] === 'string' ? step['status'].toLowerCase() : '';
  const unknown = steps.find((step) => !KNOWN_STATUSES.has(statusOf(step)));
  if (unknown)
    throw unreadableReport(`a step has no known status (${String(unknown['name'] ?? 'unnamed')})`);
  const detail = steps.map((step) => `${String(step['name'] ?? 'step')}: ${statusOf(step)}`);
  const status = steps.some((step) => statusOf(step) === 'failure')
    ? 'failure'
    : steps.some((step) => statusOf(step) === 'skipped')
      ? 'skipped'
      : 'success';
  const deprovisioned = steps.some(
    (step) =>
      DEPROVISIONING_EXPORTS.has(String(step['name'] ?? '').toLowerCase()) &&
      statusOf(step) === 'success',
  );
  return { status, detail: detail.join(', '), deprovisioned };
}

function unreadableReport(why: string): DirectoryError {
  return new DirectoryError(
    'rejected',
    `Entra ID ran provisioning on demand, but ${why}: whether the app was updated is unknown.`,
    {
      code: 'ProvisioningReportUnreadable',
      advice:
        "Check the user in the app's provisioning logs in the Entra admin center, then retry the step.",
    },
  );
}
