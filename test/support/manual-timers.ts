import type { Timers } from '../../src/core/batch/update-coalescer';
import type { FakeClock } from './fake-clock';

/** Timers that fire only when the test moves the clock past them. */
export class ManualTimers implements Timers {
  private readonly pending: { at: number; callback: () => void; id: number }[] = [];
  private nextId = 1;
  constructor(private readonly clock: FakeClock) {}
  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.pending.push({ at: this.clock.now().getTime() + ms, callback, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    const index = this.pending.findIndex((p) => p.id === handle);
    if (index >= 0) this.pending.splice(index, 1);
  }
  get scheduled(): number {
    return this.pending.length;
  }
  async advance(ms: number): Promise<void> {
    this.clock.advance(ms);
    const due = this.pending.filter((p) => p.at <= this.clock.now().getTime());
    for (const timer of due) {
      this.pending.splice(this.pending.indexOf(timer), 1);
      timer.callback();
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
}
