// Reading a finished request for "What may still work": which step of a kind ran, how it ended,
// what it recorded, and times said the same way on every line.
import type { RevocationRequest, Step } from '../model';

export function stepOfKind(request: RevocationRequest, kind: string): Step | undefined {
  return request.steps.find((s) => s.kind === kind);
}

export function stepsOfKind(request: RevocationRequest, kind: string): Step[] {
  return request.steps.filter((s) => s.kind === kind);
}

export function succeeded(step: Step | undefined): boolean {
  return step?.status === 'succeeded';
}

/** Succeeded and read back (steps saved before verification was recorded count as they did). */
export function confirmed(step: Step | undefined): boolean {
  const state = step?.verification?.state;
  return succeeded(step) && state !== 'unverifiable' && state !== 'no_account';
}

export function ranKind(request: RevocationRequest, kind: string): boolean {
  return request.steps.some((s) => s.kind === kind && s.status === 'succeeded');
}

export function textFact(step: Step, key: string): string | undefined {
  const value = step.facts?.[key];
  return typeof value === 'string' ? value : undefined;
}

export function subjectName(step: Step): string {
  return step.subject?.name ?? step.id;
}

export function addMinutes(iso: string, minutes: number): string {
  const at = Date.parse(iso);
  return Number.isNaN(at) ? '' : new Date(at + minutes * 60_000).toISOString();
}

/** "2026-03-02 10:05 UTC": the date too, since a ticket's end may fall on the next day. */
export function clock(iso: string): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return 'an unrecorded time';
  return `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
