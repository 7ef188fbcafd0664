// The use cases of a mass revocation: ask (one lookup and plan per target, one card), approve or
// reject the whole batch under the two-person rule, run each child with the ordinary engine, show
// coalesced progress, retry the failed children, and pick all of it up again after a restart.
import { attachProof, needsProof, PROOF_NEEDED_MESSAGE } from '../step-up/proof-binding';
import type { StepUpMode } from '../step-up/step-up-proof';
import { auditRecorder, requiredAuditRecorder, type RecordAudit } from '../audit-recorder';
import {
  auditBeforeSaving,
  recordActionRefused,
  recordDecision,
  recordLapses,
} from '../outcome-recording';
import { bestEffort } from '../best-effort';
import { isApprover, refuseUnlessRequester } from '../access-checks';
import { retryingLookup, type RetryingLookup } from '../retrying-lookup';
import type { Clock } from '../clock';
import { describeError, RequestRefused } from '../errors';
import { CARD_NOT_POSTED_REASON, cancelForUnpostedCard, cardNotPosted } from '../card-not-posted';
import type { ApprovalProof, Person, RevocationRequest } from '../model';
import type { AuditLog, EntraDirectory, Logger, RequestStore } from '../ports';
import { NO_AUDIT } from '../audit-event';
import { decideRetry, describeLapse, type Actor } from '../approval/policy';
import { decideWithRecheck, type RecheckLookups } from '../approval-recheck';
import type { RetryPolicy } from '../retry';
import { RequestUpdater } from '../request-updater';
import { VersionedUpdater } from '../versioned-updater';
import type { RevocationEngine } from '../revocation/engine';
import { pendingRequest } from '../pending-request';
import { newBatchId, newInstanceId, newRequestId } from '../request-id';
import type { AppProvisioning, ScimApps } from '../app-ports';
import { manualTasks } from '../manual-tasks';
import type { AppSettings } from '../service-settings';
import type { Connectors } from '../paths/connectors';
import type { BatchRequest } from './batch-model';
import type { BatchNotifier, BatchStore, RunningBatchLoad } from './batch-ports';
import { allFinished, batchProgress, type BatchProgress } from './batch-progress';
import { estimateFromLoads } from './batch-eta';
import { DEFAULT_WINDOW_MS, measureLoad, type BatchLoad } from './batch-load';
import type { BucketLimit } from './rate-gate';
import type { HeldWrites, WriteWindow } from './write-window';
import { lookUpTargets, type LookupSettings } from './batch-lookup';
import {
  batchWouldComplete,
  decideBatchApproval,
  decideBatchExpiry,
  decideBatchRejection,
  refuseBatchRetry,
  remainingForBatch,
  type BatchDecision,
} from './batch-policy';
import type { BatchCommand } from './parse-batch-command';
import { SYSTEM_TIMERS, UpdateCoalescer, type Timers } from './update-coalescer';
import { batchFinishedMessage, batchApprovedMessage, batchClosedMessage } from './batch-messages';

export interface BatchSettings extends LookupSettings, AppSettings {
  requiredApprovals: number;
  approvalTimeoutMinutes: number;
  approverGroupId: string;
  requesterGroupId?: string;
  /** At most one card update per batch this often. */
  progressIntervalMs: number;
  /** Targets looked up at once while the requester waits. */
  lookupConcurrency: number;
  /** Children whose runs go on at once; the rest queue (the RateGate paces their calls anyway). */
  runConcurrency: number;
  /** APPROVAL_STEP_UP: a batch's approvals and rejection need a proof as a request's do. */
  approvalStepUp?: StepUpMode;
  /** Graph's write budget (GRAPH_WRITES_PER_150S): the window a running batch's ETA is measured over. */
  writeBudget?: BucketLimit;
}

export interface BatchDependencies {
  store: RequestStore;
  batches: BatchStore;
  directory: EntraDirectory;
  notifier: BatchNotifier;
  engine: RevocationEngine;
  clock: Clock;
  logger: Logger;
  settings: BatchSettings;
  audit?: AuditLog;
  retryPolicy?: Partial<RetryPolicy>;
  timers?: Timers;
  newBatchId?: () => string;
  newRequestId?: () => string;
  /** As for single requests: without it PROVISIONING_APPS are left out of the children's plans. */
  provisioning?: AppProvisioning;
  scim?: ScimApps;
  connectors?: Connectors;
  /** The RateGate: what Graph's write window holds now, for the ETA (optional). */
  writeWindow?: WriteWindow;
}

export type BatchAction = 'approve' | 'reject' | 'retry';

export interface BatchActionResult {
  batch: BatchRequest;
  progress: BatchProgress;
  message: string;
  accepted: boolean;
}

export class BatchService {
  private readonly requests: RequestUpdater;
  private readonly batchUpdater: VersionedUpdater<BatchRequest>;
  private readonly coalescer: UpdateCoalescer;
  /** Records of what happens anyway: held and written late when the store fails. */
  private readonly record: RecordAudit;
  /** Records a batch request, approval or rejection needs to count (AuditUnavailable otherwise). */
  private readonly recordOrRefuse: RecordAudit;
  private readonly retrying: RetryingLookup;
  /** Children queued or running per batch in this process, so a resume does not start them twice. */
  private readonly scheduled = new Set<string>();
  /** Names this instance on the loads it saves: the budget is shared by instance first. */
  private readonly runner = newInstanceId();

  constructor(private readonly deps: BatchDependencies) {
    this.requests = new RequestUpdater(deps.store);
    const batches = deps.batches;
    this.batchUpdater = new VersionedUpdater<BatchRequest>(
      {
        get: (id) => batches.getBatch(id),
        compareAndSwap: (next, expectedVersion) =>
          batches.compareAndSwapBatch(next, expectedVersion),
      },
      'Batch',
    );
    this.record = auditRecorder(deps.audit ?? NO_AUDIT, deps.clock, deps.logger);
    this.recordOrRefuse = requiredAuditRecorder(deps.audit ?? NO_AUDIT, deps.clock, deps.logger);
    this.retrying = retryingLookup(deps.clock, deps.retryPolicy);
    this.coalescer = new UpdateCoalescer(
      deps.settings.progressIntervalMs,
      () => deps.clock.now().getTime(),
      deps.timers ?? SYSTEM_TIMERS,
      (batchId) => this.refresh(batchId),
    );
  }

  async requestBatch(input: {
    command: BatchCommand;
    requester: Person;
    conversationReference: string;
  }): Promise<BatchRequest> {
    const { settings, clock } = this.deps;
    await this.refuseUnlessRequester(input.requester);
    const id = (this.deps.newBatchId ?? newBatchId)();
    const now = clock.now();
    const expiresAt = new Date(
      now.getTime() + settings.approvalTimeoutMinutes * 60_000,
    ).toISOString();
    const card = {
      conversationReference: input.conversationReference,
      cardActivityId: `batch:${id}`,
    };
    const tasks = manualTasks(settings.manualTasks ?? []);
    const looked = await lookUpTargets(input.command.targets, {
      // Every path a single termination has: a leaver in a batch keeps no app account either.
      ports: {
        directory: this.deps.directory,
        provisioning: this.deps.provisioning,
        scim: this.deps.scim,
        connectors: this.deps.connectors,
      },
      clock,
      logger: this.deps.logger,
      settings,
      retryPolicy: this.deps.retryPolicy,
      concurrency: settings.lookupConcurrency,
      child: ({ target, plan, requiredApprovals }) =>
        pendingRequest(
          {
            id: (this.deps.newRequestId ?? newRequestId)(),
            now,
            approvalTimeoutMinutes: settings.approvalTimeoutMinutes,
            target,
            reason: input.command.reason,
            requester: input.requester,
            requiredApprovals,
            plan,
            // A click on any real card carries a different activity id, so a child can never be
            // approved on its own: only through the batch, where every member is kept out.
            card,
          },
          {
            batchId: id,
            ...(tasks.length > 0 ? { manualTasks: tasks.map((task) => ({ ...task })) } : {}),
          },
        ),
    });
    if (looked.children.length === 0) {
      throw new RequestRefused(
        'unknown_user',
        `None of the ${input.command.targets.length} listed users can be revoked: ${describeSkipped(looked.skipped)}. Nothing was saved.`,
      );
    }
    // The batch needs what its most demanding member would need alone (prepareTarget decides).
    const requiredApprovals = looked.children.reduce(
      (most, child) => Math.max(most, child.requiredApprovals),
      settings.requiredApprovals,
    );
    const batch: BatchRequest = {
      id,
      version: 1,
      status: 'pending',
      reason: input.command.reason,
      requester: input.requester,
      createdAt: now.toISOString(),
      expiresAt,
      requiredApprovals,
      approvals: [],
      members: looked.members,
      skipped: looked.skipped,
      malformed: input.command.malformed,
      card: { conversationReference: input.conversationReference },
      retries: 0,
    };
    // Recorded before it is saved: a batch whose record cannot be written is never made.
    await this.recordOrRefuse({
      type: 'request.created',
      requestId: id,
      actorId: input.requester.id,
      details: {
        batch: true,
        reason: batch.reason,
        requiredApprovals,
        children: batch.members.map((m) => m.requestId),
        targets: batch.members.map((m) => m.targetId),
        skipped: batch.skipped.map((s) => `${s.reason}:${s.entry}`),
      },
    });
    for (const child of looked.children) {
      await this.deps.store.create({ ...child, requiredApprovals });
    }
    await this.deps.batches.createBatch(batch);
    this.deps.logger.info('batch requested', {
      batchId: id,
      members: batch.members.length,
      skipped: batch.skipped.length,
      requesterId: input.requester.id,
    });
    const progress = batchProgress(looked.children);
    let cardActivityId: string | undefined;
    try {
      cardActivityId = await this.deps.notifier.postBatchCard(batch, progress);
    } catch (error) {
      throw await this.cancelUnposted(batch, error);
    }
    const saved = await this.batchUpdater.update(id, (current) =>
      cardActivityId ? { ...current, card: { ...current.card, cardActivityId } } : undefined,
    );
    return saved ?? batch;
  }

  /**
   * As for a single request (request-posting.ts): a batch whose card could not be posted is
   * cancelled at once with its children, audited, and the returned refusal tells the requester.
   * The connector's own error goes to the log only.
   */
  private async cancelUnposted(batch: BatchRequest, postError: unknown): Promise<RequestRefused> {
    const { logger } = this.deps;
    const cancelled = await cancelForUnpostedCard(
      this.batchUpdater,
      'batch',
      batch,
      postError,
      this.deps,
    );
    if (!cancelled) return cardNotPosted('batch', batch.id, false, postError);
    try {
      await this.closeChildren(cancelled);
    } catch (error) {
      // The batch is cancelled; a child left pending has no card of its own and cannot be
      // approved alone, and the ordinary expiry closes it.
      logger.error('could not cancel every child of the batch whose card was not posted', {
        batchId: batch.id,
        error: describeError(error),
      });
    }
    await this.record({
      type: 'request.cancelled',
      requestId: batch.id,
      details: {
        batch: true,
        reason: CARD_NOT_POSTED_REASON,
        children: batch.members.map((m) => m.requestId),
      },
    });
    return cardNotPosted('batch', batch.id, true, postError);
  }

  async handleCardAction(
    action: BatchAction,
    batchId: string,
    person: Person,
    origin: { cardActivityId?: string; proof?: ApprovalProof } = {},
  ): Promise<BatchActionResult> {
    const log = this.deps.logger.child({ batchId, actorId: person.id, action });
    const existing = await this.deps.batches.getBatch(batchId);
    if (!existing) throw new RequestRefused('unknown_request', `There is no batch ${batchId}.`);
    if (
      origin.cardActivityId &&
      existing.card.cardActivityId &&
      origin.cardActivityId !== existing.card.cardActivityId
    ) {
      await this.refusal(action, batchId, person, 'stale_card');
      return this.answer(
        existing,
        'This button does not belong to that batch. Nothing was changed.',
        false,
      );
    }
    const expired = await this.expireIfDue(existing);
    if (expired) {
      await this.refusal(action, batchId, person, 'expired');
      return this.answer(expired, 'This batch has expired. Nothing was changed.', false);
    }
    const proof = origin.proof;
    const open = existing.status === 'pending';
    if (open && needsProof(this.deps.settings.approvalStepUp, action) && !proof) {
      await this.refusal(action, batchId, person, 'step_up_required');
      return this.answer(existing, PROOF_NEEDED_MESSAGE, false);
    }
    const actor: Actor = { person, isApprover: await this.isApprover(person.id) };
    if (action === 'retry') return this.retry(existing, actor, log);
    let decision: BatchDecision | undefined;
    const now = this.deps.clock.now();
    const hooks = auditBeforeSaving<BatchRequest>(
      async (next) => {
        if (!decision?.ok) return;
        await recordLapses(this.recordOrRefuse, next.id, decision.lapsed ?? [], person, {
          batch: true,
        });
        await recordDecision(this.recordOrRefuse, decision.outcome, next, person, {
          children: next.members.map((m) => m.requestId),
        });
      },
      (_next, code) => this.refusal(action, batchId, person, code),
    );
    // As for a single request: the completing approval re-checks the counted ones first.
    const saved = await decideWithRecheck(this.batchUpdater, batchId, existing, {
      completes: (seen) => action === 'approve' && batchWouldComplete(seen),
      lookups: () => this.recheckLookups(),
      decide: (current, rechecked) => {
        decision =
          action === 'approve'
            ? decideBatchApproval(current, actor, now, rechecked)
            : decideBatchRejection(current, actor, now);
        if (decision.ok && proof) {
          decision = { ...decision, batch: attachProof(decision.batch, person, proof) };
        }
        return decision.ok ? decision.batch : undefined;
      },
      again: () => decision?.ok === false && decision.code === 'recheck_needed',
      hooks,
    });
    if (!saved || !decision)
      throw new RequestRefused('unknown_request', `There is no batch ${batchId}.`);
    if (!decision.ok) {
      log.info('batch action refused', { code: decision.code });
      await this.refusal(action, batchId, person, decision.code);
      return this.answer(saved, decision.message, false);
    }
    log.info('batch action accepted', { outcome: decision.outcome });
    const lapses = (decision.lapsed ?? []).map((lapse) => `${describeLapse(lapse)}. `).join('');
    switch (decision.outcome) {
      case 'approval_recorded':
        this.coalescer.signal(batchId);
        return this.answer(
          saved,
          `Approval recorded. ${lapses}${remainingForBatch(saved)} more approver(s) needed.`,
          true,
        );
      case 'approved':
        await this.startApproved(saved);
        await this.milestone(saved, batchApprovedMessage(saved));
        return this.answer(
          saved,
          `Approved. Revoking ${saved.members.length} users now; the card shows the progress.`,
          true,
        );
      case 'rejected':
        await this.closeChildren(saved);
        await this.milestone(saved, batchClosedMessage(saved));
        this.coalescer.signal(batchId);
        return this.answer(saved, 'Rejected. Nothing will be changed.', true);
    }
  }

  /** A click the Teams edge refused before it reached `handleCardAction` (not from the batch's own card). */
  recordRefusedClick(
    action: BatchAction,
    batchId: string,
    person: Person,
    code = 'stale_card',
  ): Promise<void> {
    return this.refusal(action, batchId, person, code);
  }

  getBatch(id: string): Promise<BatchRequest | undefined> {
    return this.deps.batches.getBatch(id);
  }

  async progressOf(batch: BatchRequest): Promise<BatchProgress> {
    return this.progressWithEta(batch, await this.deps.batches.listChildren(batch.id), false);
  }

  /**
   * The counts, and while the batch runs, how long it still needs: its own work and every other
   * running batch's (from the loads saved on their rows) through the one write budget. With
   * `save`, this batch's load is saved on its row for the others.
   */
  private async progressWithEta(
    batch: BatchRequest,
    children: readonly RevocationRequest[],
    save: boolean,
  ): Promise<BatchProgress> {
    const progress = batchProgress(children);
    if (batch.status !== 'running' || allFinished(progress)) return progress;
    const { writeBudget, runConcurrency } = this.deps.settings;
    const now = this.deps.clock.now();
    const load = {
      ...measureLoad(children, now, writeBudget?.windowMs ?? DEFAULT_WINDOW_MS),
      runner: this.runner,
    };
    const others = await this.otherLoads(batch.id, children, load);
    const held = writeBudget ? await this.heldWrites(load.sliceMs) : undefined;
    if (save) await this.saveLoad(batch, load);
    const eta = estimateFromLoads(load, now, writeBudget, {
      others,
      runConcurrency,
      ...(held ? { held } : {}),
    });
    return eta ? { ...progress, eta } : progress;
  }

  /**
   * The loads of the other running batches, as their last refresh saved them: one read of the
   * running batches (on PostgreSQL their loads alone; elsewhere their rows), never their children. One approved but not yet refreshed counts as its
   * members with as many steps each as this batch's children have.
   */
  private async otherLoads(
    batchId: string,
    children: readonly RevocationRequest[],
    own: BatchLoad,
  ): Promise<BatchLoad[]> {
    const { batches, logger } = this.deps;
    let running: RunningBatchLoad[] = [];
    try {
      running = batches.listRunningLoads
        ? await batches.listRunningLoads()
        : (await batches.listBatchesByStatus(['running'])).map((batch) => ({
            id: batch.id,
            members: batch.members.length,
            ...(batch.load ? { load: batch.load } : {}),
          }));
    } catch (error) {
      // The ETA is a courtesy: without the others it goes by this batch's work alone.
      logger.warn('listing the running batches for the ETA failed', {
        error: describeError(error),
      });
    }
    const stepsPerChild =
      children.reduce((sum, child) => sum + child.steps.length, 0) / Math.max(1, children.length);
    return running
      .filter((other) => other.id !== batchId)
      .map(
        (other) =>
          other.load ?? {
            ...own,
            stepsLeft: Math.round(other.members * stepsPerChild),
            childrenLeft: other.members,
            finished: [],
            runStartedAt: undefined,
            runner: undefined,
          },
      );
  }

  /** The gate's count of what the write window holds; the ETA does without when it cannot be read. */
  private async heldWrites(sliceMs: number): Promise<HeldWrites | undefined> {
    try {
      return await this.deps.writeWindow?.heldWrites(sliceMs);
    } catch (error) {
      this.deps.logger.warn('reading the write window for the ETA failed', {
        error: describeError(error),
      });
      return undefined;
    }
  }

  /**
   * One compare-and-swap on the version read at the start of the refresh: when another write got
   * there first, this load is not saved (the next refresh saves a fresher one).
   */
  private async saveLoad(batch: BatchRequest, load: BatchLoad): Promise<void> {
    await bestEffort(
      this.deps.logger,
      'saving the batch load',
      () =>
        this.deps.batches.compareAndSwapBatch(
          { ...batch, load, version: batch.version + 1 },
          batch.version,
        ),
      { batchId: batch.id },
    );
  }

  /** A child's state changed (the engine saved a step): the card catches up, coalesced. */
  childChanged(batchId: string): void {
    this.coalescer.signal(batchId);
  }

  /**
   * After a restart: a batch approved while the process died may have children not yet flipped to
   * running; flip them. Their runs are resumed by the single-request resume like any other run.
   */
  async resume(): Promise<string[]> {
    const running = await this.deps.batches.listBatchesByStatus(['running']);
    for (const batch of running) {
      await this.startApproved(batch);
      this.coalescer.signal(batch.id);
    }
    return running.map((b) => b.id);
  }

  async expireDue(): Promise<number> {
    let count = 0;
    for (const batch of await this.deps.batches.listBatchesByStatus(['pending'])) {
      if (await this.expireIfDue(batch)) count++;
    }
    return count;
  }

  stop(): void {
    this.coalescer.stop();
  }

  /** Brings the card up to date and closes the batch once every child has finished. */
  async refresh(batchId: string): Promise<void> {
    const batch = await this.deps.batches.getBatch(batchId);
    if (!batch) return;
    const children = await this.deps.batches.listChildren(batchId);
    const progress = await this.progressWithEta(batch, children, true);
    let shown = batch;
    if (batch.status === 'running' && allFinished(progress)) {
      const failed = progress.partially + progress.notAtAll > 0;
      const { document: finished, saved: changed } = await this.batchUpdater.apply(
        batchId,
        (current) =>
          current.status === 'running'
            ? {
                ...current,
                status: failed ? 'completed_with_failures' : 'completed',
                finishedAt: this.deps.clock.now().toISOString(),
                load: undefined,
              }
            : undefined,
      );
      if (finished) shown = finished;
      if (finished && changed) {
        this.deps.logger.info('batch finished', { batchId, status: finished.status });
        await this.record({
          type: 'run.finished',
          requestId: batchId,
          details: {
            batch: true,
            status: finished.status,
            fully: progress.fully,
            partially: progress.partially,
            notAtAll: progress.notAtAll,
          },
        });
        await this.milestone(finished, batchFinishedMessage(finished, progress));
      }
    }
    await bestEffort(
      this.deps.logger,
      'batch card update',
      () => this.deps.notifier.updateBatchCard(shown, progress),
      { batchId },
    );
  }

  private async retry(batch: BatchRequest, actor: Actor, log: Logger): Promise<BatchActionResult> {
    const member = refuseBatchRetry(batch, actor);
    if (member && !member.ok) {
      await this.refusal('retry', batch.id, actor.person, member.code);
      return this.answer(batch, member.message, false);
    }
    if (!actor.isApprover) {
      await this.refusal('retry', batch.id, actor.person, 'not_authorised');
      return this.answer(
        batch,
        'Only members of the approver group can retry failed users.',
        false,
      );
    }
    const now = this.deps.clock.now();
    const retried: string[] = [];
    for (const member of batch.members) {
      let accepted = false;
      await this.requests.update(member.requestId, (child) => {
        if (child.status !== 'completed_with_failures') return undefined;
        const decision = decideRetry(child, actor, now);
        accepted = decision.ok;
        return decision.ok ? decision.request : undefined;
      });
      if (accepted) retried.push(member.requestId);
    }
    if (retried.length === 0) {
      await this.refusal('retry', batch.id, actor.person, 'nothing_to_retry');
      return this.answer(batch, 'There are no failed users to retry in this batch.', false);
    }
    const saved = await this.batchUpdater.update(batch.id, (current) => ({
      ...current,
      status: 'running',
      finishedAt: undefined,
      retries: current.retries + 1,
    }));
    log.info('batch retry', { children: retried.length });
    await this.record({
      type: 'run.retry',
      requestId: batch.id,
      actorId: actor.person.id,
      details: { batch: true, children: retried },
    });
    this.runChildren(batch.id, retried);
    this.coalescer.signal(batch.id);
    return this.answer(
      saved ?? batch,
      `Retrying the failed steps of ${retried.length} user(s).`,
      true,
    );
  }

  /** Flips every still-pending child to running (CAS each, so twice is harmless) and runs them. */
  private async startApproved(batch: BatchRequest): Promise<void> {
    const now = this.deps.clock.now().toISOString();
    const toRun: string[] = [];
    for (const member of batch.members) {
      const child = await this.requests.update(member.requestId, (current) =>
        current.status === 'pending'
          ? {
              ...current,
              status: 'running',
              approvals: batch.approvals,
              runStartedAt: batch.runStartedAt ?? now,
            }
          : undefined,
      );
      if (!child) {
        this.deps.logger.warn('batch child missing', {
          batchId: batch.id,
          requestId: member.requestId,
        });
        continue;
      }
      if (child.status === 'running') toRun.push(child.id);
    }
    // No record here: the approval's own request.approved was written before it was saved, and a
    // resume after a restart is not another approval.
    this.runChildren(batch.id, toRun);
    this.coalescer.signal(batch.id);
  }

  /** Closes the still-pending children of a batch that was rejected, expired or cancelled. */
  private async closeChildren(batch: BatchRequest): Promise<void> {
    const status =
      batch.status === 'rejected' || batch.status === 'cancelled' ? batch.status : 'expired';
    for (const member of batch.members) {
      await this.requests.update(member.requestId, (current) =>
        current.status === 'pending'
          ? {
              ...current,
              status,
              rejection: batch.rejection,
              ...(batch.cancellation ? { cancellation: batch.cancellation } : {}),
              finishedAt: batch.finishedAt ?? this.deps.clock.now().toISOString(),
            }
          : undefined,
      );
    }
  }

  /** Runs children through a small pool; each run is the ordinary engine run (lease, resume). */
  private runChildren(batchId: string, requestIds: string[]): void {
    const queue = requestIds.filter((id) => !this.scheduled.has(id));
    for (const id of queue) this.scheduled.add(id);
    const worker = async (): Promise<void> => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        try {
          await this.deps.engine.run(id);
        } catch (error) {
          this.deps.logger.error('batch child run stopped; it resumes at the next start', {
            batchId,
            requestId: id,
            error: error instanceof Error ? error.message : String(error),
          });
        } finally {
          this.scheduled.delete(id);
          this.coalescer.signal(batchId);
        }
      }
    };
    const workers = Math.min(queue.length, Math.max(1, this.deps.settings.runConcurrency));
    for (let i = 0; i < workers; i++) void worker();
  }

  private async expireIfDue(batch: BatchRequest): Promise<BatchRequest | undefined> {
    if (!decideBatchExpiry(batch, this.deps.clock.now())) return undefined;
    const { document: saved, saved: changed } = await this.batchUpdater.apply(batch.id, (current) =>
      decideBatchExpiry(current, this.deps.clock.now()),
    );
    if (!saved) return undefined;
    if (changed) {
      await this.record({ type: 'request.expired', requestId: batch.id, details: { batch: true } });
      await this.closeChildren(saved);
      await this.milestone(saved, batchClosedMessage(saved));
      this.coalescer.signal(batch.id);
    }
    return saved.status === 'expired' ? saved : undefined;
  }

  private async answer(
    batch: BatchRequest,
    message: string,
    accepted: boolean,
  ): Promise<BatchActionResult> {
    return { batch, progress: await this.progressOf(batch), message, accepted };
  }

  /**
   * Throws RequestRefused unless `requester` may ask for a batch (REQUESTER_GROUP_ID). The Teams
   * edge asks before it downloads an attached list: an untrusted file is fetched only for someone
   * allowed to use it.
   */
  refuseUnlessRequester(requester: Person): Promise<void> {
    const { directory, settings } = this.deps;
    return refuseUnlessRequester(directory, this.retrying, settings.requesterGroupId, requester);
  }

  /** A batch has no manager: only approver-group membership is re-checked. */
  private recheckLookups(): RecheckLookups {
    return {
      isApprover: (personId) => this.isApprover(personId),
      managerApprovalAllowed: false,
      managerOfTarget: async () => undefined,
    };
  }

  private isApprover(personId: string): Promise<boolean> {
    const { directory, settings } = this.deps;
    return isApprover(directory, this.retrying, settings.approverGroupId, personId);
  }

  private refusal(
    action: BatchAction,
    batchId: string,
    person: Person,
    code: string,
  ): Promise<void> {
    return recordActionRefused(this.record, action, batchId, person, code, { batch: true });
  }

  private async milestone(batch: BatchRequest, text: string): Promise<void> {
    await bestEffort(
      this.deps.logger,
      'batch thread message',
      () => this.deps.notifier.postBatchMilestone(batch, text),
      { batchId: batch.id },
    );
  }
}

function describeSkipped(skipped: BatchRequest['skipped']): string {
  const count = (reason: string) => skipped.filter((s) => s.reason === reason).length;
  const parts = [
    [count('unknown_user'), 'not found'],
    [count('protected_target'), 'protected'],
    [count('lookup_failed'), 'could not be looked up'],
    [count('duplicate_target'), 'listed twice'],
  ].filter(([n]) => Number(n) > 0);
  return parts.map(([n, what]) => `${n} ${what}`).join(', ') || 'none found';
}
