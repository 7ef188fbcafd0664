// Devices Intune manages for the user: retired on request (--retire-devices: company data removed,
// personal data kept), or wiped as a follow-up of its own (factory reset). Both take effect when
// the device next checks in, and neither can be undone.
import type { ContainmentDirectory, ManagedDevice } from '../containment-ports';
import { WIPE_WARNING } from '../commands/parse-command';
import type { Step } from '../model';
import type { StepAction, StepContext } from '../revocation/step-context';
import { requireContainment, requireSubject, verificationFailed } from '../revocation/step-helpers';
import { withUniqueStepIds } from '../revocation/step-ids';
import { verified, type StepResult } from '../revocation/step-result';
import { cannotRestore, pendingStep, type AccessPath, type PlanPart } from './access-path';
import { containmentOrRefuse } from './gather-helpers';

export const INTUNE_KINDS = {
  retire: 'intune.retireDevice',
  wipe: 'intune.wipeDevice',
} as const;

const RETIRED_STATES = new Set(['retirePending', 'retireIssued']);
const WIPED_STATES = new Set(['wipePending', 'wipeIssued']);

const actions = {
  [INTUNE_KINDS.retire]: (context) =>
    managedDeviceAction(context, RETIRED_STATES, 'retire', (graph, id) =>
      graph.retireManagedDevice(id),
    ),
  [INTUNE_KINDS.wipe]: (context) =>
    managedDeviceAction(context, WIPED_STATES, 'wipe', (graph, id) => graph.wipeManagedDevice(id)),
} satisfies Record<string, StepAction>;

export const intuneDevicesPath: AccessPath<ManagedDevice[]> = {
  name: 'intune-devices',
  title: 'Devices Intune manages (retire, wipe)',
  actions,

  async gather(context) {
    if (!context.options.retireDevices) return undefined;
    const containment = containmentOrRefuse(context);
    return context.retrying(() => containment.listManagedDevices(context.user.id));
  },

  plan(devices): PlanPart {
    const steps = devices.map((device) => ({
      ...pendingStep(
        `retire-${device.id}`,
        INTUNE_KINDS.retire,
        `Retire ${device.deviceName} in Intune (company data removed)`,
      ),
      subject: { id: device.id, name: device.deviceName },
    }));
    const notes =
      devices.length === 0
        ? ['Retire was asked for, but Intune manages no device of this user.']
        : [
            'Intune retire takes effect when each device next checks in; it cannot be undone (the device must enrol again).',
          ];
    return { steps, notes };
  },

  restore: cannotRestore(
    INTUNE_KINDS.retire,
    'Retired devices are not restored: they must enrol in Intune again.',
  ),

  graph: [
    { operations: ['listManagedDevices'], onlyFor: '--retire-devices' },
    { operations: ['getManagedDevice'], onlyFor: '--retire-devices' },
    { operations: ['retireManagedDevice'], onlyFor: '--retire-devices' },
    { operations: ['wipeManagedDevice'], onlyFor: 'wiping devices' },
  ],
};

/**
 * The plan of a wipe: a follow-up of a finished revocation that factory-resets every device Intune
 * manages for the user. Never part of a revocation itself: erasing a laptop is not undone by a
 * restore, so it is asked for on its own, confirmed in words, and approved on its own card.
 */
export function buildWipePlan(
  displayName: string,
  devices: readonly ManagedDevice[],
): { steps: Step[]; notes: string[] } {
  const steps: Step[] = devices.map((device) => ({
    ...pendingStep(
      `wipe-${device.id}`,
      INTUNE_KINDS.wipe,
      `Wipe ${device.deviceName} in Intune (factory reset: all data erased)`,
    ),
    subject: { id: device.id, name: device.deviceName },
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

async function managedDeviceAction(
  context: StepContext,
  doneStates: ReadonlySet<string>,
  verb: 'retire' | 'wipe',
  act: (graph: ContainmentDirectory, id: string) => Promise<void>,
): Promise<StepResult> {
  const { retrying, remember } = context;
  const graph = requireContainment(context);
  const device = requireSubject(context);
  const before = await retrying(() => graph.getManagedDevice(device.id));
  // A device removed from Intune holds no company data Intune could still reach.
  if (!before) return verified(`${device.name} is no longer managed by Intune`);
  await remember({ managementStateBefore: before.managementState });
  if (!doneStates.has(before.managementState)) await retrying(() => act(graph, device.id));
  const after = await retrying(() => graph.getManagedDevice(device.id));
  if (after && !doneStates.has(after.managementState))
    throw verificationFailed(`Intune shows ${device.name} as ${after.managementState}.`);
  const pending = `${verb} ${after?.managementState ?? 'issued'}; it happens when the device next checks in`;
  // Verified is what Intune shows: the action pending or issued, not yet carried out on the device.
  return verified(
    doneStates.has(before.managementState)
      ? `${device.name}: ${verb} was already issued`
      : `${device.name}: ${pending}`,
  );
}
