// What the stand-in was asked, for assertions: every HTTP request with its route and answer, and
// whether the caller marked it as a retry (the SDK's own executor sends X-Okta-Retry-Count).

export interface OktaCall {
  /** Route name (`GET /api/v1/users`), or the raw method and path when nothing matched. */
  route: string;
  method: string;
  /** Path and query as received. */
  url: string;
  status: number;
  retryCount?: string;
}

export class OktaCallLog {
  readonly calls: OktaCall[] = [];

  count(route: string): number {
    return this.calls.filter((c) => c.route === route).length;
  }

  reset(): void {
    this.calls.length = 0;
  }
}
