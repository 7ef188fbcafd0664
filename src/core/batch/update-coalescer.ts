// At most one card update per batch every `intervalMs`, however often its children change: the
// engine saves every step of every child, and a card edit per save would run into Teams' limit of
// about 1,800 operations per thread per hour within minutes. The first change after a quiet spell
// is shown at once; later ones are folded into one update when the interval is up. A single run's
// card is paced the same way (see run-notices.ts), with `flushNow` for its last state.

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const SYSTEM_TIMERS: Timers = {
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

interface KeyState {
  lastAt: number;
  timer?: unknown;
  /** The update in flight, if any. */
  running?: Promise<void>;
  dirty: boolean;
  /** `flushNow` is sending the key's update; changes meanwhile wait for it to finish. */
  flushingNow?: boolean;
}

export class UpdateCoalescer {
  private readonly keys = new Map<string, KeyState>();

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number,
    private readonly timers: Timers,
    private readonly flush: (key: string) => Promise<void>,
  ) {}

  /** Something about `key` changed; its update happens now or at the end of the interval. */
  signal(key: string): void {
    const state = this.stateOf(key);
    if (state.timer !== undefined) return;
    if (state.running || state.flushingNow) {
      state.dirty = true;
      return;
    }
    const wait = state.lastAt + this.intervalMs - this.now();
    if (wait <= 0) {
      void this.fire(key, state);
      return;
    }
    state.timer = this.timers.setTimeout(() => {
      state.timer = undefined;
      void this.fire(key, state);
    }, wait);
  }

  /**
   * Sends `key`'s update at once, whatever the interval, after the one in flight (never two at
   * once); resolves when it has been sent, and forgets the key unless it changed meanwhile. For a
   * last state that must not wait for, or be lost with, a scheduled update.
   */
  async flushNow(key: string): Promise<void> {
    const state = this.stateOf(key);
    state.flushingNow = true;
    if (state.timer !== undefined) this.timers.clearTimeout(state.timer);
    state.timer = undefined;
    while (state.running) await state.running;
    state.dirty = false;
    await this.fire(key, state);
    state.flushingNow = false;
    if (state.dirty) {
      state.dirty = false;
      this.signal(key);
    } else if (this.keys.get(key) === state) {
      this.keys.delete(key);
    }
  }

  /** Cancels every scheduled update (shutdown). */
  stop(): void {
    for (const state of this.keys.values()) {
      if (state.timer !== undefined) this.timers.clearTimeout(state.timer);
      state.timer = undefined;
    }
  }

  private stateOf(key: string): KeyState {
    const state = this.keys.get(key) ?? { lastAt: Number.NEGATIVE_INFINITY, dirty: false };
    this.keys.set(key, state);
    return state;
  }

  private fire(key: string, state: KeyState): Promise<void> {
    state.lastAt = this.now();
    // flush reports its own failures; a rejection here must not become unhandled.
    const running = this.flush(key)
      .catch(() => undefined)
      .finally(() => {
        state.running = undefined;
        if (state.dirty && !state.flushingNow) {
          state.dirty = false;
          this.signal(key);
        }
      });
    state.running = running;
    return running;
  }
}
