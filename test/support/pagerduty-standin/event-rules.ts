// What PagerDuty's Events API v2 checks in an alert event, as its "Send an Alert Event" page
// documents: routing_key (the 32-character Integration Key), event_action (trigger, acknowledge,
// resolve), dedup_key (at most 255 characters), and for a trigger payload.summary (at most 1,024
// characters), payload.source and payload.severity (critical, error, warning, info); links need an
// href, images an https src. Each problem is one entry of the 400 answer's `errors` list.

const ACTIONS = ['trigger', 'acknowledge', 'resolve'];
const SEVERITIES = ['critical', 'error', 'warning', 'info'];

export function eventProblems(event: unknown): string[] {
  if (typeof event !== 'object' || event === null || Array.isArray(event))
    return ['The event must be a JSON object'];
  const e = event as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof e.routing_key !== 'string' || e.routing_key.trim() === '')
    problems.push("'routing_key' is missing or blank");
  else if (e.routing_key.length !== 32)
    problems.push("'routing_key' is the wrong length (should be 32 characters)");
  if (typeof e.event_action !== 'string' || !ACTIONS.includes(e.event_action))
    problems.push("'event_action' must be one of trigger, acknowledge, resolve");
  if (e.dedup_key !== undefined && (typeof e.dedup_key !== 'string' || e.dedup_key.length > 255))
    problems.push("'dedup_key' must be a string of at most 255 characters");
  if (e.event_action !== 'trigger' && e.event_action !== undefined && e.dedup_key === undefined)
    problems.push("'dedup_key' is required to acknowledge or resolve");
  if (e.event_action === 'trigger') problems.push(...payloadProblems(e.payload));
  problems.push(
    ...listProblems(e.links, 'links', 'href'),
    ...listProblems(e.images, 'images', 'src'),
  );
  return problems;
}

function payloadProblems(payload: unknown): string[] {
  if (typeof payload !== 'object' || payload === null) return ["'payload' is missing"];
  const p = payload as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof p.summary !== 'string' || p.summary.trim() === '')
    problems.push("'payload.summary' is missing or blank");
  else if (Array.from(p.summary).length > 1_024)
    problems.push("'payload.summary' is longer than 1024 characters");
  if (typeof p.source !== 'string' || p.source.trim() === '')
    problems.push("'payload.source' is missing or blank");
  if (typeof p.severity !== 'string' || !SEVERITIES.includes(p.severity))
    problems.push("'payload.severity' must be one of critical, error, warning, info");
  if (
    p.timestamp !== undefined &&
    (typeof p.timestamp !== 'string' || Number.isNaN(Date.parse(p.timestamp)))
  )
    problems.push("'payload.timestamp' is not a valid timestamp");
  if (
    p.custom_details !== undefined &&
    (typeof p.custom_details !== 'object' || p.custom_details === null)
  )
    problems.push("'payload.custom_details' must be an object");
  return problems;
}

function listProblems(list: unknown, name: string, required: string): string[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) return [`'${name}' must be a list`];
  return list.some(
    (entry) =>
      typeof entry !== 'object' ||
      entry === null ||
      typeof (entry as Record<string, unknown>)[required] !== 'string',
  )
    ? [`every entry of '${name}' needs '${required}'`]
    : [];
}
