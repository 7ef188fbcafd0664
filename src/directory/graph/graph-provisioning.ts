// Reading what Entra ID's provisioning service answers: which synchronization rule provisions
// users, and what an on-demand run reported. Graph returns the run's report as a JSON string inside
// a stringKeyStringValuePair, whose shape Microsoft does not version; it is read defensively and
// only the step names and statuses are kept (the details may quote attribute values).
import type { ProvisioningResult } from '../../core/app-ports';
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

export function provisioningResult(response: unknown): ProvisioningResult {
  const raw = asJson(response)['value'];
  let report: unknown;
  try {
    report = typeof raw === 'string' ? JSON.parse(raw) : raw;
  } catch {
    report = undefined;
  }
  const entries: Json[] = (Array.isArray(report) ? report : [report]).map(asJson);
  const steps = entries.flatMap((entry) => {
    const list = entry['provisioningSteps'];
    return Array.isArray(list) ? list.map(asJson) : [];
  });
  if (steps.length === 0) return { status: 'success', detail: 'Entra ID accepted the request' };
  const statusOf = (step: Json) => String(step['status'] ?? '').toLowerCase();
  const detail = steps.map((step) => `${String(step['name'] ?? 'step')}: ${statusOf(step)}`);
  const status = steps.some((step) => statusOf(step) === 'failure')
    ? 'failure'
    : steps.some((step) => statusOf(step) === 'skipped')
      ? 'skipped'
      : 'success';
  return { status, detail: detail.join(', ') };
}
