// Appending to the audit trail from the core, in the two ways the core needs.
//
// `append`: the record must exist for the action to count. A request, an approval, a rejection,
// a retry or a restore whose record cannot be written is not made: AuditUnavailable reaches the
// person, and nothing was changed.
//
// `keep`: containment first. A revocation already running must not stop because its step records
// cannot be written, so they are held in memory (bounded) and written, in order, as soon as the
// trail answers again, followed by an `audit.delayed` record that says how many were late (and
// lost, if the buffer overflowed). The gap is logged at error level when it opens and when it
// closes: never silent.
import type { AuditEvent, AuditVerification } from './audit-event';
import type { Clock } from './clock';
import { describeError, RequestRefused } from './errors';
import type { AuditLog, Logger } from './ports';

/** The audit record of an action could not be written, so the action did not count. */
export class AuditUnavailable extends RequestRefused {
  override readonly cause: unknown;

  constructor(cause: unknown) {
    super(
      'audit_unavailable',
      'This could not be written to the audit trail, so it did not count: nothing was changed. Try again in a minute; if it keeps failing, tell the Revoke operators that the audit store is not answering.',
    );
    this.name = 'AuditUnavailable';
    this.cause = cause;
  }
}

/** Records a running revocation holds at most while the trail does not answer. */
export const DEFAULT_MAX_HELD = 10_000;

interface Gap {
  /** When the first record could not be written. */
  since: string;
  /** Records held, then written late. */
  delayed: number;
  /** Records that did not fit in the buffer: lost from the database copy. */
  dropped: number;
}

export class AuditTrail implements AuditLog {
  private readonly held: AuditEvent[] = [];
  private gap: Gap | undefined;
  // Appends run one at a time, so held records are written before anything newer.
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly log: AuditLog,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly maxHeld = DEFAULT_MAX_HELD,
  ) {}

  /** Writes the record (after any held ones); throws AuditUnavailable when it was not written. */
  append(event: AuditEvent): Promise<void> {
    return this.serially(async () => {
      try {
        await this.writeHeld();
        await this.log.append(event);
      } catch (error) {
        this.logger.error('audit record not written: the action it records does not count', {
          type: event.type,
          requestId: event.requestId,
          error: describeError(error),
        });
        throw new AuditUnavailable(error);
      }
    });
  }

  /** Writes the record, or holds it until the trail answers again; never throws. */
  keep(event: AuditEvent): Promise<void> {
    return this.serially(async () => {
      try {
        await this.writeHeld();
        await this.log.append(event);
      } catch (error) {
        this.hold(event, error);
      }
    });
  }

  /** Writes what is held, if the trail answers; called periodically and at shutdown. */
  flush(): Promise<void> {
    return this.serially(async () => {
      try {
        await this.writeHeld();
      } catch {
        // Still not answering: the records stay held, and the gap was reported when it opened.
      }
    });
  }

  /** How many records wait to be written. */
  get heldCount(): number {
    return this.held.length;
  }

  /**
   * At shutdown, records still held cannot wait any longer: they go to the log in full (they are
   * secret-free), so the operators still have them.
   */
  async close(): Promise<void> {
    await this.flush();
    if (this.held.length === 0) return;
    this.logger.error('audit records lost at shutdown: the audit store did not answer', {
      records: this.held.splice(0),
      since: this.gap?.since,
    });
  }

  verify(): Promise<AuditVerification> {
    return this.log.verify();
  }

  private hold(event: AuditEvent, error: unknown): void {
    const opening = this.gap === undefined;
    this.gap ??= { since: this.clock.now().toISOString(), delayed: 0, dropped: 0 };
    const fields = { type: event.type, requestId: event.requestId, error: describeError(error) };
    if (this.held.length >= this.maxHeld) {
      this.gap.dropped++;
      this.logger.error(
        'audit record lost: the audit store is not answering and the buffer is full',
        {
          ...fields,
          held: this.held.length,
          dropped: this.gap.dropped,
        },
      );
      return;
    }
    this.held.push(event);
    this.logger.error(
      opening
        ? 'audit store not answering: records of running revocations are held in memory until it does'
        : 'audit record held: the audit store is still not answering',
      { ...fields, held: this.held.length },
    );
  }

  /** Writes held records in order, then the record of the gap. Throws while the trail fails. */
  private async writeHeld(): Promise<void> {
    const gap = this.gap;
    if (!gap) return;
    for (let event = this.held[0]; event !== undefined; event = this.held[0]) {
      await this.log.append(event);
      this.held.shift();
      gap.delayed++;
    }
    const until = this.clock.now().toISOString();
    await this.log.append({
      type: 'audit.delayed',
      at: until,
      details: { delayed: gap.delayed, dropped: gap.dropped, since: gap.since, until },
    });
    this.gap = undefined;
    this.logger.warn('audit store answers again: held records written late', {
      delayed: gap.delayed,
      dropped: gap.dropped,
      since: gap.since,
    });
  }

  private serially<T>(operation: () => Promise<T>): Promise<T> {
    const next = this.tail.then(operation, operation);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

// One trail per underlying log, however many parts of the core wrap it: the engine's held step
// records and the service's must-succeed appends share one order and one buffer.
const trails = new WeakMap<AuditLog, AuditTrail>();

/** The trail of `log`: `log` itself when it is one, otherwise the one wrapper of it. */
export function auditTrailOf(log: AuditLog, clock: Clock, logger: Logger): AuditTrail {
  if (log instanceof AuditTrail) return log;
  let trail = trails.get(log);
  if (!trail) {
    trail = new AuditTrail(log, clock, logger);
    trails.set(log, trail);
  }
  return trail;
}
