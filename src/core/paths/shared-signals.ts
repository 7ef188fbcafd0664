// The apps no connector reaches: every receiver of Revoke's Shared Signals (OpenID SSF 1.0) is told
// what the run did, one step per receiver, after the steps whose results it reports: CAEP
// session-revoked, CAEP credential-change, RISC account-disabled, and RISC account-enabled after a
// restore. A signal is delivered at least once: the SETs' claims are saved with the step before
// the first is sent, so a run resumed after a crash sends the same `jti` again and the receiver
// drops the duplicate. Acting on a signal is the receiver's choice; the report says so.
import { randomUUID } from 'node:crypto';
import { DirectoryError } from '../errors';
import type { RevocationRequest, Step, StepFacts, TargetSnapshot } from '../model';
import type { StepAction, StepContext } from '../revocation/step-context';
import { requireSubject } from '../revocation/step-helpers';
import { noAccount, verified } from '../revocation/step-result';
import {
  SHARED_SIGNALS,
  SSF_EVENTS,
  subjectKey,
  type SetClaims,
  type SharedSignals,
  type SsfReceiver,
  type SubjectId,
} from '../saas/ssf-port';
import { pendingStep, type AccessPath, type ResidualLine } from './access-path';
import { AD_KINDS, AD_STEP_IDS } from './on-prem-ad';
import { AUTH_METHOD_KINDS } from './auth-methods';
import { ENTRA_ACCOUNT_KINDS, ENTRA_ACCOUNT_STEP_IDS } from './entra-account';
import { SESSION_KINDS, SESSION_STEP_IDS } from './entra-sessions';
import { clock, stepsOfKind, succeeded } from './residual-helpers';

export const SIGNAL_KINDS = { signal: 'ssf.signal' } as const;

/** One event of a SET: its type URI and its own members. */
export interface SignalEvent {
  type: string;
  members: Record<string, unknown>;
}

/** The receivers signalled, by id and name, as gathered before approval. */
export type SignalInventory = Array<{ id: string; name: string }>;

export function signalStepId(receiverId: string): string {
  return `ssf-${receiverId.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
}

const SHORT_NAMES: Record<string, string> = {
  [SSF_EVENTS.sessionRevoked]: 'session-revoked',
  [SSF_EVENTS.credentialChange]: 'credential-change',
  [SSF_EVENTS.accountDisabled]: 'account-disabled',
  [SSF_EVENTS.accountEnabled]: 'account-enabled',
};

const actions = {
  [SIGNAL_KINDS.signal]: signalReceiver,
} satisfies Record<string, StepAction>;

export const sharedSignalsPath: AccessPath<SignalInventory> = {
  name: 'shared-signals',
  title: 'Apps that receive Shared Signals (OpenID SSF: CAEP and RISC)',
  actions,

  // The same receivers for every target: a batch reads them once for all its members.
  async gather({ connectors, retrying, shared }) {
    const signals = connectors?.get(SHARED_SIGNALS);
    if (!signals) return undefined;
    const all = await shared('shared-signals', () => retrying(() => signals.receivers()));
    const receivers = all.filter((r) => r.status !== 'disabled');
    return receivers.length === 0 ? undefined : receivers.map(({ id, name }) => ({ id, name }));
  },

  plan: (receivers, { planned }) => ({
    steps: receivers.map((receiver) =>
      signalStep(receiver, 'Signal', [...planned].filter(carriesResultOf)),
    ),
    notes: [
      `Shared Signals go to ${receivers.map((r) => r.name).join(', ')} once the other steps end; each receiver decides how it acts on them.`,
    ],
  }),

  // The receivers told of the disable are told of the enable, after the enables ran.
  restore(original, { planned }) {
    const signalled = stepsOfKind(original, SIGNAL_KINDS.signal).filter(
      (s) => succeeded(s) && s.subject !== undefined,
    );
    const enables = [ENTRA_ACCOUNT_STEP_IDS.enable, AD_STEP_IDS.enable].filter((id) =>
      planned.has(id),
    );
    if (enables.length === 0) return { steps: [], notes: [], notRestored: [] };
    return {
      steps: signalled.map((s) =>
        signalStep(
          { id: s.subject?.id ?? '', name: s.subject?.name ?? '' },
          'Restore: signal',
          enables,
        ),
      ),
      notes: [],
      notRestored: [],
    };
  },

  residual: { rank: 22, lines: (request) => signalLines(request) },
};

function signalStep(
  receiver: { id: string; name: string },
  verb: string,
  dependsOn: readonly string[],
): Step {
  return {
    ...pendingStep(
      signalStepId(receiver.id),
      SIGNAL_KINDS.signal,
      `${verb} ${receiver.name} (Shared Signals)`,
      dependsOn,
    ),
    subject: { id: receiver.id, name: receiver.name },
  };
}

/** The planned steps whose outcome a signal reports; the signal runs after them. */
function carriesResultOf(stepId: string): boolean {
  return (
    stepId === ENTRA_ACCOUNT_STEP_IDS.disable ||
    stepId === SESSION_STEP_IDS.revoke ||
    stepId === AD_STEP_IDS.disable ||
    stepId === AD_STEP_IDS.resetPassword ||
    stepId.startsWith('auth-method-')
  );
}

async function signalReceiver(context: StepContext) {
  const { retrying, remember, step, target } = context;
  const signals = requireSignals(context);
  const request = context.request;
  if (!request)
    throw new DirectoryError('misconfigured', 'A signal step needs the request it reports on.');
  const ref = requireSubject(context);
  const receiver = await retrying(() => signals.receiver(ref.id));
  if (!receiver)
    return noAccount(
      `${ref.name}: no longer a receiver (removed from SSF_RECEIVERS or its stream deleted)`,
      `${ref.name} is no longer configured as a Shared Signals receiver, so nothing was sent`,
    );
  if (receiver.status !== 'enabled')
    return noAccount(
      `${receiver.name}: its stream is ${receiver.status}`,
      `${receiver.name} set its stream to ${receiver.status}, so it asked to receive no events now`,
    );
  const subject = subjectFor(target, receiver);
  if (receiver.excludedSubjects?.includes(subjectKey(subject)))
    return noAccount(
      `${receiver.name}: the user was removed from its stream`,
      `${receiver.name} removed this user from its stream, so nothing was sent`,
    );
  const events = signalEvents(request, receiver.events);
  if (events.length === 0)
    return noAccount(
      `${receiver.name}: nothing to signal`,
      `none of the steps whose events ${receiver.name} asked for succeeded`,
    );

  // The outbox: claims saved before the first send, and reused by a resumed run (same jti).
  const saved = step.facts ?? {};
  const fresh = outboxFacts(events, subject, request.id, context);
  await remember(fresh);
  const facts: StepFacts = { ...fresh, ...saved };
  let acknowledgedAt: Date | undefined;
  for (let n = 0; n < events.length; n += 1) {
    const acked = facts[`ack.${n}`];
    if (typeof acked === 'string') {
      acknowledgedAt = new Date(acked);
      continue;
    }
    const claims = JSON.parse(String(facts[`set.${n}`])) as SetClaims;
    const answer = await retrying(() => signals.deliver(receiver.id, claims));
    acknowledgedAt = answer.acknowledgedAt;
    await remember({ [`ack.${n}`]: answer.acknowledgedAt.toISOString() });
  }
  const names = events.map((e) => SHORT_NAMES[e.type] ?? e.type).join(', ');
  return verified(
    `${receiver.name}: ${names} acknowledged by ${receiver.name} at ${clock(acknowledgedAt?.toISOString() ?? '')}`,
  );
}

/** One SET per event, each with its own jti; `txn` ties a revocation's SETs together. */
function outboxFacts(
  events: readonly SignalEvent[],
  subject: SubjectId,
  txn: string,
  context: StepContext,
): StepFacts {
  const iat = Math.floor(Date.parse(context.step.startedAt ?? '') / 1000) || nowSeconds();
  const facts: StepFacts = { sets: events.length };
  events.forEach((event, n) => {
    const claims: SetClaims = {
      jti: randomUUID(),
      iat,
      txn,
      sub_id: subject,
      // The subject inside the event too: CAEP and RISC events defined before SSF 1.0 moved it
      // to the top-level sub_id carry it there, and receivers such as Google Workspace read it.
      events: { [event.type]: { ...event.members, subject } },
    };
    facts[`set.${n}`] = JSON.stringify(claims);
  });
  return facts;
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

export function subjectFor(target: TargetSnapshot, receiver: SsfReceiver): SubjectId {
  switch (receiver.subjectFormat) {
    case 'email':
      return { format: 'email', email: target.userPrincipalName };
    case 'iss_sub':
      return { format: 'iss_sub', iss: receiver.subjectIssuer ?? '', sub: target.id };
    case 'opaque':
      return { format: 'opaque', id: target.id };
  }
}

/**
 * Pure: the events the request's finished steps justify, among those the receiver asked for. Only
 * what a step did and read back is claimed: a failed disable sends no account-disabled.
 */
export function signalEvents(
  request: Readonly<RevocationRequest>,
  wanted: readonly string[],
): SignalEvent[] {
  const events: SignalEvent[] = [];
  const at = (step: Step) => Math.floor(Date.parse(step.finishedAt ?? '') / 1000) || undefined;
  const common = (step: Step) => ({
    event_timestamp: at(step),
    initiating_entity: 'admin',
    reason_admin: { en: 'Emergency access revocation approved by two people in Revoke' },
  });
  // Succeeded and not "nothing found there": an unverifiable revocation was still asked for.
  const done = (kind: string) =>
    stepsOfKind(request, kind).filter(
      (s) => succeeded(s) && s.verification?.state !== 'no_account',
    );
  const disabled = [...done(ENTRA_ACCOUNT_KINDS.disable), ...done(AD_KINDS.disable)];
  if (disabled[0])
    events.push({
      type: SSF_EVENTS.accountDisabled,
      // RISC: "hijacking" when the account is contained because someone else controls it.
      members: request.profile === 'compromised' ? { reason: 'hijacking' } : {},
    });
  const sessions = done(SESSION_KINDS.revoke)[0];
  if (sessions) events.push({ type: SSF_EVENTS.sessionRevoked, members: common(sessions) });
  for (const reset of done(AD_KINDS.resetPassword))
    events.push({
      type: SSF_EVENTS.credentialChange,
      members: { ...common(reset), credential_type: 'password', change_type: 'update' },
    });
  for (const removal of done(AUTH_METHOD_KINDS.remove)) {
    if (removal.facts?.wasPresent === false) continue;
    events.push({
      type: SSF_EVENTS.credentialChange,
      members: {
        ...common(removal),
        credential_type: credentialType(removal.subject?.type ?? ''),
        change_type: 'delete',
        friendly_name: removal.subject?.name,
      },
    });
  }
  const enabled = [...done(ENTRA_ACCOUNT_KINDS.enable), ...done(AD_KINDS.enable)];
  if (enabled[0]) events.push({ type: SSF_EVENTS.accountEnabled, members: {} });
  return events.filter((e) => wanted.includes(e.type));
}

/** CAEP 1.0 credential types for Graph's authentication method types. */
function credentialType(graphType: string): string {
  const type = graphType.replace(/^#?microsoft\.graph\./, '');
  if (type.startsWith('fido2')) return 'fido2-roaming';
  if (type.startsWith('windowsHelloForBusiness') || type.startsWith('platformCredential'))
    return 'fido2-platform';
  if (type.startsWith('phone')) return 'phone-sms';
  if (type.startsWith('password')) return 'password';
  if (type.startsWith('x509')) return 'x509';
  // Microsoft Authenticator, software OATH tokens, e-mail and temporary access passes.
  return 'app';
}

function requireSignals(context: StepContext): SharedSignals {
  const signals = context.connectors?.get(SHARED_SIGNALS);
  if (!signals)
    throw new DirectoryError(
      'misconfigured',
      'Shared Signals are not configured (SSF_ISSUER), but the plan has a signal step.',
    );
  return signals;
}

function signalLines(request: RevocationRequest): ResidualLine[] {
  const steps = stepsOfKind(request, SIGNAL_KINDS.signal);
  if (steps.length === 0) return [];
  const name = (s: Step) => s.subject?.name ?? s.id;
  const acked = steps
    .filter((s) => succeeded(s) && s.verification?.state === 'verified')
    .map((s) => `${name(s)} (acknowledged ${clock(s.finishedAt ?? '')})`);
  const skipped = steps.filter((s) => succeeded(s) && s.verification?.state !== 'verified');
  const failed = steps.filter((s) => !succeeded(s)).map(name);
  const parts = [
    acked.length > 0 ? `signalled ${acked.join(', ')}` : '',
    skipped.length > 0 ? `sent nothing to ${skipped.map(name).join(', ')}` : '',
    failed.length > 0 ? `could NOT signal ${failed.join(', ')}` : '',
  ].filter((p) => p !== '');
  return [
    {
      what: 'Apps that receive Shared Signals (CAEP/RISC)',
      until:
        'until each receiver acts on the signal: ending its sessions on a signal is the receiving app’s choice and policy',
      revokeDid: parts.join('; '),
      adminCan:
        failed.length > 0
          ? `retry the failed steps, or end the user's sessions by hand in ${failed.join(', ')}`
          : "check each receiver's own log that it acted on the signal",
    },
  ];
}
