// The request card, rendered whole from the saved request every time it changes.
import type { RevocationRequest } from '../../core/model';
import { buildRequestCardView } from './request-view';
import type { RequestCardOptions } from './request-view';
import { expandTemplate } from './templates';
import type { AdaptiveCardJson } from './templates';

export type { AdaptiveCardJson } from './templates';
export type { RequestCardAudience, RequestCardOptions, SandboxActor } from './request-view';

export function renderRequestCard(
  request: RevocationRequest,
  options: RequestCardOptions,
): AdaptiveCardJson {
  return expandTemplate('request', buildRequestCardView(request, options));
}
