// A page as the approval flow sends it, and a well-formed routing key, for the paging tests.
import type { PageAlert } from '../../src/core/paging/pager';

/** 32 letters and digits, as PagerDuty's Integration Keys are; not a real one. */
export const ROUTING_KEY = 'e93facc04764012d7bfb002500d5d1a6';

export function pageAlert(overrides: Partial<PageAlert> = {}): PageAlert {
  return {
    key: 'revoke-r-0001',
    summary: 'Revoke: approve the emergency revocation of Adele Vance (adele@contoso.com)',
    requestId: 'r-0001',
    targetUpn: 'adele@contoso.com',
    targetName: 'Adele Vance',
    requesterName: 'Megan Bowen',
    reason: 'phished; MFA fatigue prompts at 02:40',
    createdAt: '2026-12-04T02:41:07.000Z',
    link: {
      href: 'https://teams.microsoft.com/l/message/19:abc@thread.tacv2/1',
      text: 'Open the card',
    },
    ...overrides,
  };
}
