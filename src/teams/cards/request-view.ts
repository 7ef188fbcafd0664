// Everything the request card decides: which texts, colours and buttons a request in a given
// state shows. The template only lays this data out, so the decisions are testable as plain data
// and the card is always a pure function of the saved request (plus the clock, for "in 55 min").
import { describeLapse } from '../../core/approval/policy';
import { isFinal } from '../../core/model';
import type {
  ApprovalProof,
  DriftCheck,
  RequestStatus,
  RevocationRequest,
  Step,
} from '../../core/model';
import { describeProof } from '../../core/step-up/step-up-proof';
import { residualAccess } from '../../core/revocation/residual-access';
import type { CardFold } from '../../core/paths/access-path';
import { ACCESS_PATHS } from '../../core/paths/registry';
import { RUN_STALLED } from '../../core/revocation/run-watchdog';
import { elapsed, timeUntil, utcDateTime, utcTime } from './format';
import { clockLines } from './clock-lines';
import { inlinePlain, plainRun } from './plain-text';

/** Who the card is rendered for. 'generic' is the card posted to the channel, seen by everyone. */
export type RequestCardAudience = 'approver' | 'requester' | 'observer' | 'generic';

export interface RequestCardOptions {
  now: Date;
  view?: RequestCardAudience;
  /**
   * Users whose Teams client should ask the bot for their own view of the card (the `refresh`
   * verb). Not used yet; without it the card has no refresh block.
   */
  refreshUserIds?: readonly string[];
  /**
   * Sandbox mode only: people of the demo tenant a newcomer may click as, from one browser. The
   * bot refuses such clicks outside the sandbox, so a card never offers them there.
   */
  sandboxActors?: readonly SandboxActor[];
  /** The dry run of `plan user`: an unsaved request, shown without people, actions or id. */
  preview?: boolean;
}

export interface ResidualLineView {
  what: string;
  until: string;
  did: string;
  admin: string;
}

export interface SandboxActor {
  id: string;
  name: string;
  isApprover: boolean;
}

export interface SandboxActorView {
  label: string;
  approve: { title: string; data: CardActionData & { actAs: string } };
  reject: { title: string; data: CardActionData & { actAs: string } };
}

export type TextColor = 'default' | 'accent' | 'good' | 'warning' | 'attention';
export type ContainerStyle = 'default' | 'emphasis' | 'accent' | 'good' | 'warning' | 'attention';

export interface FactView {
  title: string;
  value: string;
}

export interface LineView {
  text: string;
  color: TextColor;
  subtle: boolean;
}

export interface StepLineView {
  status: string;
  color: TextColor;
  title: string;
  detail: string;
  hasDetail: boolean;
}

export interface CardActionData {
  requestId: string;
  cardVersion: number;
}

export interface ActionView {
  title: string;
  verb: 'approve' | 'reject' | 'retry';
  style: 'positive' | 'destructive' | 'default';
  data: CardActionData;
}

/** One item of the manual checklist; the button is offered until someone ticks it off. */
export interface TaskLineView {
  text: string;
  color: TextColor;
  hasAction: boolean;
  action: { title: string; verb: 'taskDone'; data: CardActionData & { taskId: string } };
}

export interface RequestCardView {
  title: string;
  status: { text: string; color: TextColor; style: ContainerStyle };
  requestId: string;
  targetFacts: FactView[];
  reason: string;
  people: LineView[];
  planHeading: string;
  hasPlanNotes: boolean;
  planNotes: LineView[];
  plan: StepLineView[];
  hasSummary: boolean;
  summary: LineView;
  hasResidualNote: boolean;
  residual: ResidualLineView[];
  hasTasks: boolean;
  tasksHeading: string;
  tasks: TaskLineView[];
  footer: string;
  actions: ActionView[];
  hasRefresh: boolean;
  refresh: { data: { requestId: string }; userIds: string[] };
  hasSandboxActors: boolean;
  sandboxActors: SandboxActorView[];
}

/** Beyond this many device lines, finished and waiting devices are folded into one line. */
export const MAX_DEVICE_LINES = 10;

/** Step kinds the card folds after MAX_DEVICE_LINES lines, as their access paths ask. */
const CARD_FOLDS = new Map(
  ACCESS_PATHS.flatMap((path) =>
    path.cardFold ? [[path.cardFold.kind, path.cardFold] as const] : [],
  ),
);
/** Teams gives automatic refresh to at most this many users. */
const MAX_REFRESH_USERS = 60;
const MAX_REASON_CHARS = 2000;
const MAX_LINE_CHARS = 400;
const SUMMARY_STEP_NAMES = 3;

const STATUS_BADGES: Record<RequestStatus, RequestCardView['status']> = {
  pending: { text: 'Pending approval', color: 'warning', style: 'warning' },
  running: { text: 'Running', color: 'accent', style: 'accent' },
  completed: { text: 'Completed', color: 'good', style: 'good' },
  completed_with_failures: {
    text: 'Completed with failures',
    color: 'attention',
    style: 'attention',
  },
  rejected: { text: 'Rejected', color: 'default', style: 'emphasis' },
  expired: { text: 'Expired', color: 'warning', style: 'emphasis' },
  cancelled: { text: 'Cancelled', color: 'warning', style: 'emphasis' },
};

const PREVIEW_BADGE: RequestCardView['status'] = {
  text: 'Dry run: nothing saved',
  color: 'accent',
  style: 'emphasis',
};

/** "Completed" is green only when every step was read back. */
function statusBadge(request: RevocationRequest): RequestCardView['status'] {
  const { unverifiable, noAccount } = notVerified(request.steps);
  if (request.status === 'completed' && unverifiable.length + noAccount.length > 0)
    return { text: 'Completed — not all verified', color: 'warning', style: 'warning' };
  return STATUS_BADGES[request.status];
}

function titleVerb(request: RevocationRequest): string {
  switch (request.kind ?? 'revocation') {
    case 'restore':
      return 'Restore access';
    case 'wipe':
      return 'Wipe devices';
    case 'revocation':
      return 'Revoke access';
  }
}

const RESIDUAL_NOTE_STATUSES: readonly RequestStatus[] = ['completed', 'completed_with_failures'];

export function buildRequestCardView(
  request: RevocationRequest,
  options: RequestCardOptions,
): RequestCardView {
  const view = options.view ?? 'generic';
  const requestId = inlinePlain(request.id);
  const summary = summaryLine(request, view);
  // Saved requests from before plan notes existed have none.
  const planNotes: readonly string[] = request.planNotes ?? [];
  const preview = options.preview === true;
  const residual = RESIDUAL_NOTE_STATUSES.includes(request.status) ? residualAccess(request) : [];
  return {
    title: `${preview ? 'Dry run: ' : ''}${titleVerb(request)}: ${inlinePlain(request.target.displayName)}`,
    status: preview ? PREVIEW_BADGE : statusBadge(request),
    requestId: preview ? 'not saved' : requestId,
    targetFacts: targetFacts(request),
    reason: plainRun(request.reason, MAX_REASON_CHARS),
    people: preview ? [] : peopleLines(request, options.now, view),
    planHeading: preview ? `Plan: ${request.steps.length} steps (dry run)` : planHeading(request),
    hasPlanNotes: planNotes.length > 0,
    planNotes: planNotes.map((note) => line(`⚠ ${note}`, 'warning')),
    plan: planLines(request),
    hasSummary: summary !== undefined,
    summary: summary ?? { text: '', color: 'default', subtle: false },
    hasResidualNote: residual.length > 0,
    residual: residual.map((r) => ({
      // Separators live in the runs, not the template, so each run reads on its own.
      what: plainRun(r.what, MAX_LINE_CHARS),
      until: ` — ${plainRun(r.until, MAX_LINE_CHARS)}. `,
      did: `Done by Revoke: ${plainRun(r.revokeDid, MAX_LINE_CHARS)}. `,
      admin: `Still possible: ${plainRun(r.adminCan, MAX_LINE_CHARS)}.`,
    })),
    ...tasksView(request, view, options.now, preview),
    footer: preview
      ? `Dry run: nothing was saved or changed. To ask for it: \`@Revoke user ${inlinePlain(request.target.userPrincipalName)} … <reason>\` with the same options.`
      : `Request ${requestId} · \`@Revoke status ${requestId}\``,
    actions: preview ? [] : actionsFor(request, view),
    hasRefresh: options.refreshUserIds !== undefined,
    refresh: {
      data: { requestId: request.id },
      userIds: (options.refreshUserIds ?? []).slice(0, MAX_REFRESH_USERS),
    },
    ...sandboxActorsView(request, options.sandboxActors ?? []),
  };
}

const TASK_STATUSES: readonly RequestStatus[] = ['running', 'completed', 'completed_with_failures'];

/** The manual checklist, once the request is approved: before that nothing has been revoked. */
function tasksView(
  request: RevocationRequest,
  view: RequestCardAudience,
  now: Date,
  preview: boolean,
): Pick<RequestCardView, 'hasTasks' | 'tasksHeading' | 'tasks'> {
  const tasks = request.manualTasks ?? [];
  if (preview || tasks.length === 0 || !TASK_STATUSES.includes(request.status))
    return { hasTasks: false, tasksHeading: '', tasks: [] };
  const done = tasks.filter((t) => t.doneBy).length;
  return {
    hasTasks: true,
    tasksHeading: `Manual checklist: ${done} of ${tasks.length} done`,
    tasks: tasks.map((task) => ({
      text: plainRun(
        task.doneBy
          ? `✓ ${task.title} — done by ${task.doneBy.name} at ${utcTime(task.doneAt ?? '', now)}`
          : `○ ${task.title}`,
        MAX_LINE_CHARS,
      ),
      color: task.doneBy ? 'good' : 'default',
      hasAction: !task.doneBy && canDecide(view),
      action: {
        title: 'Done',
        verb: 'taskDone',
        data: { requestId: request.id, cardVersion: request.version, taskId: task.id },
      },
    })),
  };
}

/** Beyond this many, a demo tenant is not a demo tenant any more: the list would swamp the card. */
const MAX_SANDBOX_ACTORS = 10;

function sandboxActorsView(
  request: RevocationRequest,
  actors: readonly SandboxActor[],
): Pick<RequestCardView, 'hasSandboxActors' | 'sandboxActors'> {
  if (request.status !== 'pending' || actors.length === 0)
    return { hasSandboxActors: false, sandboxActors: [] };
  const data: CardActionData = { requestId: request.id, cardVersion: request.version };
  const views = actors
    .filter((actor) => actor.id !== request.target.id)
    .slice(0, MAX_SANDBOX_ACTORS)
    .map((actor) => {
      const name = inlinePlain(actor.name);
      const role =
        actor.id === request.requester.id
          ? 'requester'
          : actor.isApprover
            ? 'approver'
            : 'not an approver';
      return {
        label: `${name} (${role})`,
        approve: { title: `Approve as ${name}`, data: { ...data, actAs: actor.id } },
        reject: { title: `Reject as ${name}`, data: { ...data, actAs: actor.id } },
      };
    });
  return { hasSandboxActors: views.length > 0, sandboxActors: views };
}

function targetFacts(request: RevocationRequest): FactView[] {
  const t = request.target;
  const facts: FactView[] = [
    { title: 'Name', value: inlinePlain(t.displayName) },
    { title: 'UPN', value: inlinePlain(t.userPrincipalName) },
  ];
  if (t.jobTitle) facts.push({ title: 'Title', value: inlinePlain(t.jobTitle) });
  if (t.department) facts.push({ title: 'Department', value: inlinePlain(t.department) });
  facts.push(
    { title: 'Synced from on-prem AD', value: t.onPremisesSynced ? 'yes' : 'no' },
    { title: 'Registered devices', value: String(t.deviceCount) },
  );
  if ((request.kind ?? 'revocation') === 'revocation') {
    facts.push({ title: 'Profile', value: request.profile ?? 'termination' });
    if (request.options?.retireDevices) facts.push({ title: 'Options', value: 'retire devices' });
  } else if (request.followsUp) {
    facts.push({ title: 'Follows up', value: inlinePlain(request.followsUp) });
  }
  return facts;
}

function line(text: string, color: TextColor = 'default', subtle = false): LineView {
  return { text: plainRun(text, MAX_LINE_CHARS), color, subtle };
}

function peopleLines(request: RevocationRequest, now: Date, view: RequestCardAudience): LineView[] {
  const lines = [
    line(`Requested by ${request.requester.name} at ${utcDateTime(request.createdAt)}`),
    line(approvalsText(request, now)),
    // Approvals the final approval's re-check stopped counting: approvers must see why the count
    // went down rather than wonder.
    ...(request.lapsedApprovals ?? []).map((lapsed) => line(describeLapse(lapsed), 'attention')),
    ...clockLines(request, now).map(({ text, tone }) =>
      tone === 'subtle' ? line(text, 'default', true) : line(text, tone),
    ),
  ];
  switch (request.status) {
    case 'pending': {
      const due = new Date(request.expiresAt).getTime() <= now.getTime();
      const when = due ? 'due now' : timeUntil(request.expiresAt, now);
      lines.push(line(`Expires at ${utcTime(request.expiresAt, now)} (${when})`, 'warning'));
      if (view === 'requester' || view === 'observer') {
        lines.push(line(waitingText(request), 'default', true));
      }
      break;
    }
    case 'expired':
      lines.push(line(`Expired at ${utcTime(request.expiresAt, now)}`, 'warning'));
      break;
    case 'cancelled':
      if (request.cancellation) {
        const { reason, at } = request.cancellation;
        lines.push(line(`Cancelled at ${utcTime(at, now)}: ${reason}`, 'warning'));
      }
      break;
    case 'rejected':
      if (request.rejection) {
        const { by, at, stepUp } = request.rejection;
        const proven = stepUp ? ` (${provenText('rejected', stepUp, now)})` : '';
        lines.push(line(`Rejected by ${by.name} at ${utcTime(at, now)}${proven}`, 'attention'));
      }
      break;
    case 'running':
      if (request.runStartedAt) {
        lines.push(line(`Started at ${utcTime(request.runStartedAt, now)}`));
      }
      break;
    case 'completed':
    case 'completed_with_failures':
      if (request.finishedAt) {
        lines.push(line(`Finished at ${utcTime(request.finishedAt, now)}`));
      }
      if (request.driftCheck) lines.push(driftLine(request.driftCheck, now));
      break;
  }
  return lines;
}

function driftLine(check: DriftCheck, now: Date): LineView {
  if (!check.checkedAt)
    return line(`Drift check due at ${utcTime(check.dueAt, now)}`, 'default', true);
  const at = `Drift check at ${utcTime(check.checkedAt, now)}`;
  const reEnabled = check.reEnabled ?? [];
  if (reEnabled.length > 0)
    return line(`${at}: RE-ENABLED ✗ (${reEnabled.join(', ')})`, 'attention');
  if (check.skipped) return line(`${at}: not checked (${check.skipped})`, 'warning');
  return line(`${at}: still disabled ✓`, 'good');
}

function approvalsText(request: RevocationRequest, now: Date): string {
  const count = `Approvals: ${request.approvals.length} of ${request.requiredApprovals}`;
  if (request.approvals.length === 0) return count;
  const who = request.approvals.map((a) =>
    a.stepUp
      ? `${a.approver.name} (${provenText('approved', a.stepUp, now)})`
      : `${a.approver.name} (${utcTime(a.at, now)})`,
  );
  return `${count} — ${who.join(', ')}`;
}

/** "approved with MFA at 10:04 UTC"; the sandbox's proofs say they are simulated. */
function provenText(verb: string, proof: ApprovalProof, now: Date): string {
  const at = utcTime(proof.authTime, now);
  if (proof.method === 'simulated') return `${verb} with MFA at ${at} — simulated MFA, sandbox`;
  return `${verb} with ${describeProof(proof)} at ${at}`;
}

function waitingText(request: RevocationRequest): string {
  const missing = Math.max(0, request.requiredApprovals - request.approvals.length);
  const noun = missing === 1 ? 'approver' : 'approvers';
  return request.approvals.length === 0
    ? `Waiting for ${missing} ${noun}`
    : `Waiting for ${missing} more ${noun}`;
}

function planHeading(request: RevocationRequest): string {
  const total = request.steps.length;
  const done = request.steps.filter((s) => s.status === 'succeeded').length;
  switch (request.status) {
    case 'pending':
      return `Plan: ${total} steps, run after approval`;
    case 'rejected':
    case 'expired':
    case 'cancelled':
      return `Plan: ${total} steps, not run`;
    default: {
      const { unverifiable, noAccount } = notVerified(request.steps);
      const unchecked = joinDetail([
        unverifiable.length > 0 ? `${unverifiable.length} not verifiable` : undefined,
        noAccount.length > 0 ? `${noAccount.length} no account found` : undefined,
      ]);
      return withNote(`Plan: ${done} of ${total} steps done`, unchecked);
    }
  }
}

function stepTitle(step: Step): string {
  const subject = step.subject?.name;
  return subject && !step.title.includes(subject) ? `${step.title} (${subject})` : step.title;
}

function attemptsNote(step: Step): string | undefined {
  return step.attempts > 1 ? `${step.attempts} attempts` : undefined;
}

function joinDetail(parts: ReadonlyArray<string | undefined>): string {
  return parts.filter((p): p is string => p !== undefined && p !== '').join(', ');
}

function withNote(text: string, note: string): string {
  return note === '' ? text : `${text} (${note})`;
}

function stepLine(step: Step, requestIsFinal: boolean): StepLineView {
  const took =
    step.startedAt && step.finishedAt ? elapsed(step.startedAt, step.finishedAt) : undefined;
  let status: string;
  let color: TextColor;
  let detail = '';
  switch (step.status) {
    case 'pending':
      [status, color] = requestIsFinal ? ['– not run', 'default'] : ['○ waiting', 'default'];
      break;
    case 'running':
      [status, color] = ['▶ running', 'accent'];
      break;
    case 'retrying':
      // The engine counts the attempt it is waiting to make.
      status = `↻ retrying (attempt ${step.attempts})`;
      color = 'warning';
      detail = step.error ? `last error: ${step.error.message}` : '';
      break;
    case 'succeeded':
      ({ status, color, detail } = succeededLine(step, took));
      break;
    case 'failed':
      status = '✗ failed';
      color = 'attention';
      detail = withNote(
        step.error?.message ?? 'no reason recorded',
        joinDetail([attemptsNote(step), took]),
      );
      break;
  }
  const title = plainRun(stepTitle(step), MAX_LINE_CHARS);
  const cleanDetail = detail === '' ? '' : plainRun(detail, MAX_LINE_CHARS);
  return {
    status,
    color,
    // Separators live in the runs, not the template, so each run reads on its own.
    title: ` ${title}`,
    detail: cleanDetail === '' ? '' : ` — ${cleanDetail}`,
    hasDetail: cleanDetail !== '',
  };
}

/**
 * A succeeded step says how far its outcome was checked: read back, accepted with nothing to read
 * back (and why), or no account found. Steps saved before that was recorded keep "done".
 */
function succeededLine(
  step: Step,
  took: string | undefined,
): { status: string; color: TextColor; detail: string } {
  const after = step.attempts > 1 ? `after ${step.attempts} attempts` : undefined;
  const timed = (text: string) => (took ? `${text} ${took}` : text);
  const verification = step.verification;
  switch (verification?.state) {
    case undefined:
      return { status: timed('✓ done'), color: 'good', detail: after ?? '' };
    case 'verified':
      return { status: timed('✓ verified'), color: 'good', detail: after ?? '' };
    case 'unverifiable':
      return {
        status: timed('✓ accepted — not verifiable'),
        color: 'warning',
        detail: joinDetail([verification.why, after]),
      };
    case 'no_account':
      return {
        status: '– no account found',
        color: 'warning',
        detail: joinDetail([verification.why, after]),
      };
  }
}

/** Succeeded steps whose outcome was not read back: shown apart, never as "verified". */
function notVerified(steps: readonly Step[]): { unverifiable: Step[]; noAccount: Step[] } {
  const succeeded = steps.filter((s) => s.status === 'succeeded');
  return {
    unverifiable: succeeded.filter((s) => s.verification?.state === 'unverifiable'),
    noAccount: succeeded.filter((s) => s.verification?.state === 'no_account'),
  };
}

/** Devices worth a line of their own even when the list is folded. */
function needsAttention(step: Step): boolean {
  return step.status === 'failed' || step.status === 'running' || step.status === 'retrying';
}

function planLines(request: RevocationRequest): StepLineView[] {
  const requestIsFinal = isFinal(request.status);
  const lines: StepLineView[] = [];
  // Per folded kind: lines shown, and the folded steps' counts and where their summary goes.
  const folds = new Map<
    string,
    { fold: CardFold; shown: number; done: number; waiting: number; at: number }
  >();
  for (const step of request.steps) {
    const fold = CARD_FOLDS.get(step.kind);
    if (fold) {
      const state = folds.get(fold.kind) ?? { fold, shown: 0, done: 0, waiting: 0, at: -1 };
      folds.set(fold.kind, state);
      if (state.shown >= MAX_DEVICE_LINES && !needsAttention(step)) {
        if (step.status === 'succeeded') state.done++;
        else state.waiting++;
        state.at = lines.length;
        continue;
      }
      state.shown++;
    }
    lines.push(stepLine(step, requestIsFinal));
  }
  // From the last summary back, so an insertion does not move the places of the earlier ones.
  const summaries = [...folds.values()].filter((f) => f.at >= 0).sort((a, b) => b.at - a.at);
  for (const { fold, done, waiting, at } of summaries) {
    const folded = done + waiting;
    const waitingWord = requestIsFinal ? 'not run' : 'waiting';
    const counts = joinDetail([
      done > 0 ? `${done} done` : undefined,
      waiting > 0 ? `${waiting} ${waitingWord}` : undefined,
    ]);
    lines.splice(at, 0, {
      status: '…',
      color: 'default',
      title: ` and ${folded} more ${folded === 1 ? fold.singular : fold.plural}`,
      detail: `: ${counts}`,
      hasDetail: true,
    });
  }
  return lines;
}

function summaryLine(request: RevocationRequest, view: RequestCardAudience): LineView | undefined {
  const steps = request.steps;
  const succeeded = steps.filter((s) => s.status === 'succeeded');
  const failed = steps.filter((s) => s.status === 'failed');
  const notRun = steps.filter((s) => s.status === 'pending');
  const took =
    request.runStartedAt && request.finishedAt
      ? elapsed(request.runStartedAt, request.finishedAt)
      : undefined;
  switch (request.status) {
    case 'completed': {
      const { unverifiable, noAccount } = notVerified(steps);
      if (unverifiable.length === 0 && noAccount.length === 0) {
        return line(
          `All ${steps.length} steps succeeded${took ? ` in ${took}` : ''}: ${doneWhat(request)}.`,
          'good',
        );
      }
      const parts = [
        `All ${steps.length} steps finished${took ? ` in ${took}` : ''}, ${steps.length - unverifiable.length - noAccount.length} verified.`,
        ...uncheckedParts(unverifiable, noAccount),
      ];
      return line(parts.join(' '), 'warning');
    }
    case 'completed_with_failures': {
      const parts = [`${succeeded.length} of ${steps.length} steps succeeded.`];
      const stalled = failed.find((s) => s.error?.code === RUN_STALLED);
      if (stalled) parts.push(`The run stopped: ${stalled.error?.message ?? 'no progress'}.`);
      parts.push(`Failed: ${listSteps(failed)}.`);
      const { unverifiable, noAccount } = notVerified(steps);
      parts.push(...uncheckedParts(unverifiable, noAccount));
      if (notRun.length > 0) parts.push(`Not run: ${listSteps(notRun)}.`);
      if (canRetry(view)) parts.push('Use "Retry failed steps" to try them again.');
      return line(parts.join(' '), 'attention');
    }
    case 'rejected':
      return line('Nothing was changed: the request was rejected.');
    case 'expired':
      return line(
        `Nothing was changed: the request expired before it had ${request.requiredApprovals} approvals.`,
        'warning',
      );
    case 'cancelled':
      return line('Nothing was changed: the request was cancelled.', 'warning');
    default:
      return undefined;
  }
}

function uncheckedParts(unverifiable: readonly Step[], noAccount: readonly Step[]): string[] {
  const parts: string[] = [];
  if (unverifiable.length > 0)
    parts.push(`Accepted but not verifiable: ${listSteps(unverifiable)}.`);
  if (noAccount.length > 0)
    parts.push(`No account found (nothing deprovisioned there): ${listSteps(noAccount)}.`);
  return parts;
}

function doneWhat(request: RevocationRequest): string {
  switch (request.kind ?? 'revocation') {
    case 'wipe':
      return 'wipe issued; each device is erased when it next checks in';
    case 'restore':
      return 'access restored';
    case 'revocation':
      return 'access revoked';
  }
}

/** Names a few steps; the plan above lists them all. */
function listSteps(steps: readonly Step[]): string {
  const named = steps.slice(0, SUMMARY_STEP_NAMES).map(stepTitle).join('; ');
  const more = steps.length - SUMMARY_STEP_NAMES;
  return more > 0 ? `${named} and ${more} more` : named;
}

function canDecide(view: RequestCardAudience): boolean {
  return view === 'generic' || view === 'approver';
}

function canRetry(view: RequestCardAudience): boolean {
  return view !== 'observer';
}

function actionsFor(request: RevocationRequest, view: RequestCardAudience): ActionView[] {
  const data: CardActionData = { requestId: request.id, cardVersion: request.version };
  if (request.status === 'pending' && canDecide(view)) {
    return [
      { title: 'Approve', verb: 'approve', style: 'positive', data },
      { title: 'Reject', verb: 'reject', style: 'destructive', data: { ...data } },
    ];
  }
  if (request.status === 'completed_with_failures' && canRetry(view)) {
    return [{ title: 'Retry failed steps', verb: 'retry', style: 'default', data }];
  }
  return [];
}
