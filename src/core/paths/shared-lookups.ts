// Look-ups made once for every target of one preparation: a batch of 200 leavers names its
// configured apps once, not 200 times. A failed look-up is not kept, so the next target tries again.
export class SharedLookups {
  private readonly pending = new Map<string, Promise<unknown>>();

  get<T>(key: string, lookup: () => Promise<T>): Promise<T> {
    const known = this.pending.get(key);
    // Only this method stores under a key, always the promise of the lookup passed with that key.
    if (known) return known as Promise<T>;
    const started = lookup();
    this.pending.set(key, started);
    started.catch(() => this.pending.delete(key));
    return started;
  }
}
