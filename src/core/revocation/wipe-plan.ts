// The plan of a wipe: a follow-up of a finished revocation that factory-resets every device Intune
// manages for the user. Never part of a revocation itself: erasing a laptop is not undone by a
// restore, so it is asked for on its own, confirmed in words, and approved on its own card.
import type { ManagedDevice } from '../containment-ports';
import type { Step } from '../model';
import { WIPE_WARNING } from '../commands/parse-command';
import { withUniqueStepIds } from './step-ids';

export function buildWipePlan(
  displayName: string,
  devices: readonly ManagedDevice[],
): { steps: Step[]; notes: string[] } {
  const steps: Step[] = devices.map((device) => ({
    id: `wipe-${device.id}`,
    kind: 'intune.wipeDevice',
    title: `Wipe ${device.deviceName} in Intune (factory reset: all data erased)`,
    dependsOn: [],
    subject: { id: device.id, name: device.deviceName },
    status: 'pending',
    attempts: 0,
  }));
  const names = devices
    .map((d) => (d.operatingSystem ? `${d.deviceName} (${d.operatingSystem})` : d.deviceName))
    .join(', ');
  const notes = [
    `${WIPE_WARNING} Devices of ${displayName} that will be wiped: ${names}.`,
    'The wipe happens when each device next checks in with Intune; a restore does not undo it.',
  ];
  return { steps: withUniqueStepIds(steps), notes };
}
