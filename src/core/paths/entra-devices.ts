// The user's registered devices in Entra ID: each disabled, so it can no longer be used to sign
// in (a device-bound Primary Refresh Token stops working). Data already on a device stays there:
// only an Intune wipe removes it (intune-devices.ts).
import { DirectoryError } from '../errors';
import type { Device, RevocationRequest } from '../model';
import type { StepAction } from '../revocation/step-context';
import { requireContainment, requireSubject, verificationFailed } from '../revocation/step-helpers';
import { verified } from '../revocation/step-result';
import {
  after,
  pendingStep,
  type AccessPath,
  type ResidualLine,
  type RestorePart,
} from './access-path';
import { INTUNE_KINDS } from './intune-devices';
import { AD_STEP_IDS } from './on-prem-ad';
import { stepsOfKind, subjectName, succeeded } from './residual-helpers';

export const DEVICE_KINDS = {
  disable: 'entra.disableDevice',
  enable: 'restore.enableDevice',
} as const;

export function deviceStepId(deviceId: string): string {
  return `device-${deviceId}`;
}

const actions = {
  [DEVICE_KINDS.disable]: async ({ step, directory, retrying, remember }) => {
    const subject = step.subject;
    if (!subject) throw new DirectoryError('misconfigured', `Step ${step.id} names no device.`);
    const device = await retrying(() => directory.getDevice(subject.id));
    // A deleted device cannot be used to sign in any more: nothing left to do.
    if (!device) return verified(`${subject.name} no longer exists`);
    await remember({ wasEnabled: device.accountEnabled });
    if (device.accountEnabled) await retrying(() => directory.disableDevice(subject.id));
    const after = await retrying(() => directory.getDevice(subject.id));
    if (after?.accountEnabled)
      throw verificationFailed(`Entra ID still shows ${subject.name} as enabled.`);
    return verified(
      device.accountEnabled ? `${subject.name} disabled` : `${subject.name} was already disabled`,
    );
  },

  [DEVICE_KINDS.enable]: async (context) => {
    const { directory, retrying } = context;
    const graph = requireContainment(context);
    const device = requireSubject(context);
    const before = await retrying(() => directory.getDevice(device.id));
    if (!before) return verified(`${device.name} no longer exists`);
    if (!before.accountEnabled) await retrying(() => graph.enableDevice(device.id));
    const after = await retrying(() => directory.getDevice(device.id));
    if (after && !after.accountEnabled)
      throw verificationFailed(`Entra ID still shows ${device.name} as disabled.`);
    return verified(
      before.accountEnabled ? `${device.name} was already enabled` : `${device.name} enabled`,
    );
  },
} satisfies Record<string, StepAction>;

export const entraDevicesPath: AccessPath<Device[]> = {
  name: 'entra-devices',
  title: 'Registered devices (Entra ID)',
  actions,

  gather: ({ directory, retrying, user }) =>
    retrying(() => directory.listRegisteredDevices(user.id)),

  targetFacts: (devices) => ({ deviceCount: devices.length }),

  plan: (devices, { planned }) => ({
    // One step per device, even if a listing repeated one (the same id is the same device).
    steps: uniqueById(devices).map((device) => ({
      ...pendingStep(
        deviceStepId(device.id),
        DEVICE_KINDS.disable,
        `Disable device ${device.displayName}`,
        after(planned, AD_STEP_IDS.disable),
      ),
      subject: { id: device.id, name: device.displayName },
    })),
    notes: [],
  }),

  restore(original) {
    const part: RestorePart = { steps: [], notes: [], notRestored: [] };
    const keptDisabled: string[] = [];
    for (const device of stepsOfKind(original, DEVICE_KINDS.disable)) {
      if (device.facts?.['wasEnabled'] === true && device.subject) {
        part.steps.push({
          ...pendingStep(
            `restore-device-${device.subject.id}`,
            DEVICE_KINDS.enable,
            `Enable device ${subjectName(device)}`,
          ),
          subject: { ...device.subject },
        });
      } else if (device.facts?.['wasEnabled'] === false) {
        keptDisabled.push(subjectName(device));
      }
    }
    if (keptDisabled.length > 0)
      part.notes.push(
        `Already disabled before the revocation, so they stay disabled: ${keptDisabled.join(', ')}.`,
      );
    return part;
  },

  residual: { rank: 30, lines: (request) => [deviceLine(request)] },

  graph: [
    {
      purpose: 'step "disable registered devices"',
      step: DEVICE_KINDS.disable,
      operations: ['getDevice', 'disableDevice'],
    },
    { purpose: "list the target's registered devices", operations: ['listRegisteredDevices'] },
    { operations: ['enableDevice'], onlyFor: 'restoring after a false alarm' },
  ],

  cardFold: { kind: DEVICE_KINDS.disable, singular: 'device', plural: 'devices' },
};

function uniqueById(devices: readonly Device[]): Device[] {
  return [...new Map(devices.map((d) => [d.id, d] as const)).values()];
}

function deviceLine(request: RevocationRequest): ResidualLine {
  const registered = stepsOfKind(request, DEVICE_KINDS.disable);
  const retire = stepsOfKind(request, INTUNE_KINDS.retire);
  const did = [
    `disabled ${registered.filter(succeeded).length} of ${registered.length} registered device(s) in Entra ID`,
  ];
  if (retire.length > 0) {
    const done = retire.filter(succeeded).map(subjectName);
    const notDone = retire.filter((s) => !succeeded(s)).map(subjectName);
    did.push(`Intune retire issued for ${done.length > 0 ? done.join(', ') : 'none'}`);
    if (notDone.length > 0) did.push(`not retired: ${notDone.join(', ')}`);
  } else {
    did.push('no Intune retire was asked for');
  }
  return {
    what: `Data already on the user's devices, above all offline ones (${request.target.deviceCount} registered)`,
    until:
      'until the device is wiped; a retire happens only when the device next checks in, and an offline Windows device may still be unlocked with cached credentials',
    revokeDid: did.join('; '),
    adminCan: 'wipe the devices in Intune (the data on them cannot be recovered), or collect them',
  };
}
