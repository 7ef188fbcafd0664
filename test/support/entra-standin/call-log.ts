// What the stand-in was asked, for assertions: counts per route and the full sequence.

export interface RecordedCall {
  /** Route name (`PATCH /devices/{id}`), or the raw method and path when nothing matched. */
  route: string;
  status: number;
  insideBatch: boolean;
  /** The path asked for (`/v1.0/devices/…`), to tell calls on one object from another. */
  path: string;
  at: number;
}

export class CallLog {
  readonly calls: RecordedCall[] = [];

  record(route: string, status: number, insideBatch: boolean, path = ''): void {
    this.calls.push({ route, status, insideBatch, path, at: Date.now() });
  }

  /** Graph operations on the route, top-level and inside $batch alike. */
  count(route: string): number {
    return this.calls.filter((c) => c.route === route).length;
  }

  /** Graph operations on the route whose path names `objectId` (one user, one device). */
  countFor(route: string, objectId: string): number {
    return this.calls.filter((c) => c.route === route && c.path.includes(objectId)).length;
  }

  /** Separate HTTP requests on the route (sub-requests of a $batch excluded). */
  httpCount(route: string): number {
    return this.calls.filter((c) => c.route === route && !c.insideBatch).length;
  }

  reset(): void {
    this.calls.length = 0;
  }
}
