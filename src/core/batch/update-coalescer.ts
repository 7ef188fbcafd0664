// At most one card update per batch every `intervalMs`, however often its children change: the
// engine saves every step of every child, and a card edit per save would run into Teams' limit of
// about 1,800 operations per thread per hour within minutes. The first change after a quiet spell
// is shown at once; later ones are folded into one update when the interval is up.

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
  running: boolean;
  dirty: boolean;
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
    const state = this.keys.get(key) ?? {
      lastAt: Number.NEGATIVE_INFINITY,
      running: false,
      dirty: false,
    };
    this.keys.set(key, state);
    if (state.timer !== undefined) return;
    if (state.running) {
      state.dirty = true;
      return;
    }
    const wait = state.lastAt + this.intervalMs - this.now();
    if (wait <= 0) {
      this.fire(key, state);
      return;
    }
    state.timer = this.timers.setTimeout(() => {
      state.timer = undefined;
      this.fire(key, state);
    }, wait);
  }

  /** Cancels every scheduled update (shutdown). */
  stop(): void {
    for (const state of this.keys.values()) {
      if (state.timer !== undefined) this.timers.clearTimeout(state.timer);
      state.timer = undefined;
    }
  }

  private fire(key: string, state: KeyState): void {
    state.running = true;
    state.lastAt = this.now();
    // flush reports its own failures; a rejection here must not become unhandled.
    void this.flush(key)
      .catch(() => undefined)
      .finally(() => {
        state.running = false;
        if (state.dirty) {
          state.dirty = false;
          this.signal(key);
        }
      });
  }
}
