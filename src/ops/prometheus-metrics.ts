// The Metrics port on prom-client. Each app gets its own registry, so several apps in one process
// (tests) never share or clash over series. Open requests are counted from the store at scrape
// time: a counter kept in memory would be wrong after a restart.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RequestStatus, StepKind } from '../core/model';
import type { Metrics, OutreachKind, RequestStore, RetryReason } from '../core/ports';

/** Statuses a request can sit in; final ones only grow, so they are counted as transitions. */
const OPEN_STATUSES: RequestStatus[] = ['pending', 'running'];

export class PrometheusMetrics implements Metrics {
  readonly registry = new Registry();
  private readonly transitions: Counter<'status'>;
  private readonly toApproval: Histogram;
  private readonly toFirstApproval: Histogram;
  private readonly outreachDone: Counter<'kind' | 'outcome'>;
  private readonly runDuration: Histogram<'status'>;
  private readonly stepDuration: Histogram<'kind' | 'outcome'>;
  private readonly retries: Counter<'kind' | 'reason'>;
  private readonly cardFailures: Counter;

  constructor(store: RequestStore) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'revoke_' });
    new Gauge({
      name: 'revoke_requests',
      help: 'Requests waiting for approval (pending) or being carried out (running), from the store.',
      labelNames: ['status'],
      registers,
      async collect() {
        // A scrape must not fail because the store is down: /readyz reports that.
        const open = await store.listByStatus(OPEN_STATUSES).catch(() => undefined);
        if (!open) return;
        for (const status of OPEN_STATUSES) {
          this.set({ status }, open.filter((r) => r.status === status).length);
        }
      },
    });
    this.transitions = new Counter({
      name: 'revoke_request_transitions_total',
      help: 'Requests that reached each status since the process started.',
      labelNames: ['status'],
      registers,
    });
    this.toApproval = new Histogram({
      name: 'revoke_time_to_approval_seconds',
      help: 'From the request to its last approval (the one that started the run).',
      buckets: [30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400, 86_400],
      registers,
    });
    this.toFirstApproval = new Histogram({
      name: 'revoke_time_to_first_approval_seconds',
      help: 'From the request to its first approval.',
      buckets: [30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400, 86_400],
      registers,
    });
    this.outreachDone = new Counter({
      name: 'revoke_outreach_total',
      help: 'Personal cards, reminders, escalations and pages carried out, by kind and outcome (done, unreachable, retry, failed).',
      labelNames: ['kind', 'outcome'],
      registers,
    });
    this.runDuration = new Histogram({
      name: 'revoke_run_duration_seconds',
      help: 'From the last approval to the end of the run, by final status.',
      labelNames: ['status'],
      buckets: [1, 2, 5, 10, 30, 60, 120, 300, 600, 1800],
      registers,
    });
    this.stepDuration = new Histogram({
      name: 'revoke_step_duration_seconds',
      help: 'How long one attempt at a step took (its retries included), by step kind and outcome.',
      labelNames: ['kind', 'outcome'],
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers,
    });
    this.retries = new Counter({
      name: 'revoke_retries_total',
      help: 'Directory calls retried, by step kind (or lookup) and reason; reason="throttled" counts 429s and LDAP busy answers.',
      labelNames: ['kind', 'reason'],
      registers,
    });
    this.cardFailures = new Counter({
      name: 'revoke_card_update_failures_total',
      help: 'Request cards that could not be updated in Teams.',
      registers,
    });
  }

  requestTransition(status: RequestStatus): void {
    this.transitions.inc({ status });
  }

  approvalTime(ms: number): void {
    this.toApproval.observe(seconds(ms));
  }

  firstApprovalTime(ms: number): void {
    this.toFirstApproval.observe(seconds(ms));
  }

  outreach(kind: OutreachKind, outcome: 'done' | 'unreachable' | 'retry' | 'failed'): void {
    this.outreachDone.inc({ kind, outcome });
  }

  runFinished(status: 'completed' | 'completed_with_failures', ms: number): void {
    this.runDuration.observe({ status }, seconds(ms));
  }

  stepFinished(kind: StepKind, outcome: 'succeeded' | 'failed', ms: number): void {
    this.stepDuration.observe({ kind, outcome }, seconds(ms));
  }

  retried(kind: StepKind | 'lookup', reason: RetryReason): void {
    this.retries.inc({ kind, reason });
  }

  cardUpdateFailed(): void {
    this.cardFailures.inc();
  }

  /** The exposition text, for the metrics endpoint. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

// A clock step backwards must not produce a negative observation.
function seconds(ms: number): number {
  return Math.max(0, ms) / 1000;
}
