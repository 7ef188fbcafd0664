// Checks the paths share while they gather what a plan will name.
import type { ContainmentDirectory } from '../containment-ports';
import { RequestRefused } from '../errors';
import type { GatherContext } from './access-path';

/** The compromised profile and device retire need containment support, or the request is refused. */
export function containmentOrRefuse(context: GatherContext): ContainmentDirectory {
  if (!context.containment) {
    throw new RequestRefused(
      'bad_command',
      'This deployment cannot run the compromised profile or retire devices (its directory has no containment support).',
    );
  }
  return context.containment;
}
