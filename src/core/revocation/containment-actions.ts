// The containment steps: each checks, acts only when needed, reads back, and remembers what it
// found before acting, like the runbook's steps.
import type { ContainmentDirectory } from '../containment-ports';
import type { StepAction, StepContext } from './step-context';
import { requireContainment, requireSubject, verificationFailed } from './step-helpers';
import { verified, type StepResult } from './step-result';

const COMPROMISED = 'confirmedCompromised';
const RETIRED_STATES = new Set(['retirePending', 'retireIssued']);
const WIPED_STATES = new Set(['wipePending', 'wipeIssued']);

export const CONTAINMENT_ACTIONS = {
  'entra.confirmCompromised': async (context) => {
    const { target, retrying, remember } = context;
    const graph = requireContainment(context);
    const before = await retrying(() => graph.getRiskState(target.id));
    await remember({ riskStateBefore: before });
    if (before !== COMPROMISED) await retrying(() => graph.confirmCompromised(target.id));
    const after = await retrying(() => graph.getRiskState(target.id));
    if (after !== COMPROMISED)
      throw verificationFailed(`Identity Protection shows the risk state as ${after}.`);
    return verified(
      before === COMPROMISED
        ? 'was already confirmed compromised'
        : `risk state ${before} → confirmedCompromised (user risk high)`,
    );
  },

  'entra.removeAuthMethod': async (context) => {
    const { target, retrying, remember } = context;
    const graph = requireContainment(context);
    const subject = requireSubject(context);
    const type = subject.type ?? '';
    const present = async () =>
      (await retrying(() => graph.listAuthMethods(target.id))).some((m) => m.id === subject.id);
    const was = await present();
    await remember({ wasPresent: was });
    if (was) await retrying(() => graph.deleteAuthMethod(target.id, { id: subject.id, type }));
    if (await present()) throw verificationFailed(`${subject.name} is still registered.`);
    return verified(was ? `${subject.name} removed` : `${subject.name} was already gone`);
  },

  'entra.removeOAuthGrant': async (context) => {
    const { target, retrying, remember } = context;
    const graph = requireContainment(context);
    const subject = requireSubject(context);
    const present = async () =>
      (await retrying(() => graph.listOAuthGrants(target.id))).some((g) => g.id === subject.id);
    const was = await present();
    await remember({ wasPresent: was });
    if (was) await retrying(() => graph.deleteOAuthGrant(subject.id));
    if (await present()) throw verificationFailed(`the consent to ${subject.name} still exists.`);
    return verified(
      was ? `consent to ${subject.name} removed` : `consent to ${subject.name} was already gone`,
    );
  },

  'entra.addToContainmentGroup': async (context) => {
    const { target, retrying, remember } = context;
    const graph = requireContainment(context);
    const group = requireSubject(context);
    const was = await retrying(() => graph.isGroupMember(group.id, target.id));
    await remember({ wasMember: was });
    if (!was) await retrying(() => graph.addGroupMember(group.id, target.id));
    if (!(await retrying(() => graph.isGroupMember(group.id, target.id))))
      throw verificationFailed(`${group.name} does not list the user.`);
    return verified(was ? `was already in ${group.name}` : `added to ${group.name}`);
  },

  'intune.retireDevice': (context) =>
    managedDeviceAction(context, RETIRED_STATES, 'retire', (graph, id) =>
      graph.retireManagedDevice(id),
    ),

  'intune.wipeDevice': (context) =>
    managedDeviceAction(context, WIPED_STATES, 'wipe', (graph, id) => graph.wipeManagedDevice(id)),
} satisfies Record<string, StepAction>;

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
