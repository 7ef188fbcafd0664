// A plan from inventories given by the test instead of looked up: the runbook's paths (AD, Entra
// ID account, sessions, devices) always, the apps when given. It goes through the registry's own
// modules and the real plan builder, so it plans exactly what a request would.
import type { Device, RevocationProfile, TargetSnapshot } from '../../src/core/model';
import { withInventory, type GatheredPath } from '../../src/core/paths/access-path';
import { appsPath, type AppInventory } from '../../src/core/paths/apps';
import { entraAccountPath } from '../../src/core/paths/entra-account';
import { entraDevicesPath } from '../../src/core/paths/entra-devices';
import { entraSessionsPath } from '../../src/core/paths/entra-sessions';
import { onPremAdPath } from '../../src/core/paths/on-prem-ad';
import { buildPlan, type Plan } from '../../src/core/revocation/plan';

export function runbookPlan(
  target: TargetSnapshot,
  devices: Device[],
  options: { onPremConfigured: boolean; profile?: RevocationProfile; apps?: AppInventory },
): Plan {
  const gathered: GatheredPath[] = [
    withInventory(onPremAdPath, { configured: options.onPremConfigured }),
    withInventory(entraAccountPath, true),
    withInventory(entraSessionsPath, true),
    withInventory(entraDevicesPath, devices),
  ];
  if (options.apps) gathered.push(withInventory(appsPath, options.apps));
  return buildPlan(target, gathered, options.profile);
}
