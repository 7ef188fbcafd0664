// Puts every call of an EntraDirectory through the RateGate. A Proxy rather than a class that lists the
// methods: a Graph call added to the EntraDirectory port later is paced without anyone remembering to.
import { DirectoryError } from '../errors';
import type { RateCost, RateGate } from './rate-gate';
import {
  BATCHABLE_WRITES,
  WriteBatcher,
  type BatchableWrite,
  type WriteBatchPort,
} from './write-batcher';

/** Disables many devices in one round trip ($batch); per device, undefined or its error. */
export interface DeviceBatchDisabler {
  disableDevices(deviceIds: readonly string[]): Promise<Map<string, DirectoryError | undefined>>;
}

export interface GatedDirectoryOptions {
  /** When set, concurrent `disableDevice` calls are sent together, up to 20 per round trip. */
  deviceBatch?: DeviceBatchDisabler;
  /**
   * When set, concurrent account disables, session revocations and device disables are sent
   * together, up to 20 per $batch (takes the place of `deviceBatch`).
   */
  writeBatch?: WriteBatchPort;
  /** How long the first write waits for others to join its round trip. */
  lingerMs?: number;
}

// Reads cost one resource unit; checkMemberGroups is documented at two. Writes also take from the
// write budget. Classified by name so new write methods are counted as writes.
const WRITE =
  /^(disable|enable|revoke|reset|delete|remove|confirm|retire|wipe|restore|set|update|create|add|dismiss)/;

export function costOf(method: string): RateCost {
  if (WRITE.test(method)) return { units: 1, writes: 1 };
  // checkMemberGroups reads, but is a POST, and Graph's write limit counts requests by method.
  if (method === 'memberGroups') return { units: 2, writes: 1 };
  return { units: 1, writes: 0 };
}

export function gatedDirectory<T extends object>(
  inner: T,
  gate: RateGate,
  options: GatedDirectoryOptions = {},
): T {
  const writes = options.writeBatch
    ? writeBatcher(inner, options.writeBatch, gate, options.lingerMs)
    : undefined;
  const single = Reflect.get(inner, 'disableDevice') as unknown;
  const devices =
    !writes && options.deviceBatch && typeof single === 'function'
      ? new DeviceDisableBatcher(
          options.deviceBatch,
          (deviceId) => Promise.resolve(single.call(inner, deviceId)).then(() => undefined),
          gate,
          options.lingerMs ?? 15,
        )
      : undefined;
  return new Proxy(inner, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      const method = value as (...args: unknown[]) => unknown;
      if (writes && (BATCHABLE_WRITES as readonly string[]).includes(property)) {
        return (id: unknown) => writes.write({ kind: property as BatchableWrite, id: String(id) });
      }
      if (property === 'disableDevice' && devices) {
        return (deviceId: unknown) => devices.disable(String(deviceId));
      }
      return (...args: unknown[]) =>
        gate.run(costOf(property), async () => method.apply(target, args));
    },
  });
}

function writeBatcher<T extends object>(
  inner: T,
  port: WriteBatchPort,
  gate: RateGate,
  lingerMs: number | undefined,
): WriteBatcher {
  const single = async (write: { kind: BatchableWrite; id: string }): Promise<void> => {
    const method = Reflect.get(inner, write.kind) as unknown;
    if (typeof method !== 'function') {
      throw new DirectoryError('misconfigured', `The directory cannot ${write.kind}.`);
    }
    await Promise.resolve(method.call(inner, write.id));
  };
  return new WriteBatcher(port, single, gate, costOf, lingerMs ?? 15);
}

interface PendingDisable {
  deviceId: string;
  resolve: () => void;
  reject: (error: unknown) => void;
}

const MAX_PER_BATCH = 20;

/**
 * Collects device disables that arrive within a few milliseconds of each other (the device steps
 * of many users become ready together) and sends them as one $batch. Each caller still gets its
 * own device's outcome, so the engine's retry and verification per step are unchanged.
 */
class DeviceDisableBatcher {
  private pending: PendingDisable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly port: DeviceBatchDisabler,
    private readonly single: (deviceId: string) => Promise<void>,
    private readonly gate: RateGate,
    private readonly lingerMs: number,
  ) {}

  disable(deviceId: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ deviceId, resolve, reject });
      if (this.pending.length >= MAX_PER_BATCH) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.lingerMs);
    });
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const group = this.pending.splice(0, MAX_PER_BATCH);
    if (this.pending.length > 0) this.timer = setTimeout(() => this.flush(), 0);
    if (group.length > 0) void this.send(group);
  }

  private async send(group: PendingDisable[]): Promise<void> {
    const only = group.length === 1 ? group[0] : undefined;
    if (only) {
      // Nobody to share the round trip with: a plain PATCH, exactly as a single request makes it.
      await this.gate
        .run(costOf('disableDevice'), () => this.single(only.deviceId))
        .then(only.resolve, only.reject);
      return;
    }
    const ids = [...new Set(group.map((p) => p.deviceId))];
    // Graph counts each sub-request of a $batch against the limits.
    const cost = { units: ids.length, writes: ids.length };
    try {
      const results = await this.gate.run(cost, () => this.port.disableDevices(ids));
      for (const item of group) {
        const outcome = results.get(item.deviceId);
        if (outcome === undefined && results.has(item.deviceId)) item.resolve();
        else {
          const error =
            outcome ??
            new DirectoryError(
              'transient',
              `The $batch answer did not cover device ${item.deviceId}.`,
            );
          this.gate.noteFailure(error);
          item.reject(error);
        }
      }
    } catch (error) {
      for (const item of group) item.reject(error);
    }
  }
}
