// Paging on-call: the port the outreach sweep pages through. Adapters (PagerDuty's Events API v2,
// a signed webhook) live at the edge; both calls are idempotent by the page's key.

export interface PageAlert {
  key: string;
  summary: string;
  requestId: string;
  targetUpn: string;
  targetName: string;
  requesterName: string;
  reason: string;
  createdAt: string;
  /** A link to the card or its thread, when known. */
  link?: { href: string; text: string };
}

export type PageResolution = 'approved' | 'rejected' | 'expired' | 'cancelled';

export interface Pager {
  /** As the card names it: 'PagerDuty', 'alert webhook'. */
  readonly name: string;
  trigger(alert: PageAlert): Promise<void>;
  resolve(key: string, why: PageResolution): Promise<void>;
}
