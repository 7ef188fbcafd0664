// The writes of a mass revocation sent together: account disables, session revocations and device
// disables that become ready within a few milliseconds of each other (many users' runs reach the
// same step at once) go out as one JSON $batch of up to 20. Each caller still gets its own write's
// outcome, so the engine's retries and read-backs per step are unchanged.
//
// What it saves is round trips (and their CPU), not budget: Graph counts every request inside a
// $batch against the limits as if it had been sent alone, so the RateGate charges each one, and a
// 429 inside the batch pauses the gate for its own Retry-After and fails only that write.
import { DirectoryError } from '../errors';
import type { RateCost, RateGate } from './rate-gate';

export type BatchableWrite = 'disableUser' | 'revokeSignInSessions' | 'disableDevice';

export const BATCHABLE_WRITES: readonly BatchableWrite[] = [
  'disableUser',
  'revokeSignInSessions',
  'disableDevice',
];

export interface BatchedWrite {
  kind: BatchableWrite;
  /** The user's or the device's object id. */
  id: string;
}

/** Sends up to 20 independent writes in one round trip; per write, in order, undefined or its error. */
export interface WriteBatchPort {
  writeMany(writes: readonly BatchedWrite[]): Promise<(DirectoryError | undefined)[]>;
}

/** Graph's limit on requests in one $batch. */
export const MAX_WRITES_PER_BATCH = 20;

interface PendingWrite {
  write: BatchedWrite;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export interface WriteBatcherStats {
  /** $batch round trips sent, and the writes they carried. */
  batches: number;
  batchedWrites: number;
}

export class WriteBatcher {
  private pending: PendingWrite[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  readonly stats: WriteBatcherStats = { batches: 0, batchedWrites: 0 };

  constructor(
    private readonly port: WriteBatchPort,
    /** The plain call for a write nobody joined in time (exactly what a single request makes). */
    private readonly single: (write: BatchedWrite) => Promise<void>,
    private readonly gate: RateGate,
    private readonly cost: (kind: BatchableWrite) => RateCost,
    private readonly lingerMs = 15,
  ) {}

  write(write: BatchedWrite): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ write, resolve, reject });
      if (this.pending.length >= MAX_WRITES_PER_BATCH) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.lingerMs);
    });
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const group = this.pending.splice(0, MAX_WRITES_PER_BATCH);
    if (this.pending.length > 0) this.timer = setTimeout(() => this.flush(), 0);
    if (group.length > 0) void this.send(group);
  }

  private async send(group: PendingWrite[]): Promise<void> {
    const only = group.length === 1 ? group[0] : undefined;
    if (only) {
      await this.gate
        .run(this.cost(only.write.kind), () => this.single(only.write))
        .then(only.resolve, only.reject);
      return;
    }
    // Graph counts each request inside a $batch against the limits.
    const cost = group.reduce(
      (sum, p) => {
        const one = this.cost(p.write.kind);
        return { units: sum.units + one.units, writes: sum.writes + one.writes };
      },
      { units: 0, writes: 0 },
    );
    try {
      const results = await this.gate.run(cost, () =>
        this.port.writeMany(group.map((p) => p.write)),
      );
      this.stats.batches++;
      this.stats.batchedWrites += group.length;
      group.forEach((item, index) => {
        const outcome =
          index < results.length
            ? results[index]
            : new DirectoryError(
                'transient',
                `The $batch answer did not cover ${item.write.kind} of ${item.write.id}.`,
              );
        if (outcome === undefined) {
          item.resolve();
          return;
        }
        this.gate.noteFailure(outcome);
        item.reject(outcome);
      });
    } catch (error) {
      for (const item of group) item.reject(error);
    }
  }
}
