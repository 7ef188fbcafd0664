// A small card for one-off answers (errors, "request not found", acknowledgements).
import { inlinePlain, plainRun } from './plain-text';
import { expandTemplate } from './templates';
import type { AdaptiveCardJson } from './templates';

const MAX_NOTICE_CHARS = 2000;

/** Both title and text are shown as plain text: callers may pass user-supplied values. */
export function renderNoticeCard(title: string, text: string): AdaptiveCardJson {
  return expandTemplate('notice', {
    title: inlinePlain(title),
    text: plainRun(text, MAX_NOTICE_CHARS),
  });
}
