// The restore steps, run after a false alarm: each puts back one thing the revocation changed,
// checks first, and reads back. Which ones run was decided from the prior state the revocation
// recorded, so something that was already disabled before it is never enabled here.
import { DirectoryError } from '../errors';
import type { StepAction } from './step-context';
import {
  findOnPremAccount,
  requireContainment,
  requireOnPrem,
  requireSubject,
  verificationFailed,
} from './step-helpers';
import { verified } from './step-result';

export const RESTORE_ACTIONS = {
  'restore.enableAdAccount': async (context) => {
    const onPrem = requireOnPrem(context);
    const restore = context.onPremRestore;
    if (!restore)
      throw new DirectoryError('misconfigured', 'This AD connection cannot enable accounts.');
    const account = await findOnPremAccount(context, onPrem);
    if (account.disabled) await context.retrying(() => restore.enableAccount(account.dn));
    const after = await findOnPremAccount(context, onPrem);
    if (after.disabled)
      throw verificationFailed(`AD still shows ${after.samAccountName} as disabled.`);
    return verified(
      account.disabled
        ? `${after.samAccountName} enabled (userAccountControl ${account.userAccountControl} → ${after.userAccountControl})`
        : `${after.samAccountName} was already enabled`,
    );
  },

  'restore.enableEntraAccount': async (context) => {
    const { target, directory, retrying } = context;
    const graph = requireContainment(context);
    await retrying(() => graph.enableUser(target.id));
    const user = await retrying(() => directory.getUser(target.id));
    if (!user)
      throw new DirectoryError('not_found', `${target.userPrincipalName} no longer exists.`);
    if (!user.accountEnabled)
      throw verificationFailed('Entra ID still shows the account as disabled.');
    return verified('accountEnabled is true');
  },

  'restore.enableDevice': async (context) => {
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

  'restore.removeFromContainmentGroup': async (context) => {
    const { target, retrying } = context;
    const graph = requireContainment(context);
    const group = requireSubject(context);
    const was = await retrying(() => graph.isGroupMember(group.id, target.id));
    if (was) await retrying(() => graph.removeGroupMember(group.id, target.id));
    if (await retrying(() => graph.isGroupMember(group.id, target.id)))
      throw verificationFailed(`${group.name} still lists the user.`);
    return verified(was ? `removed from ${group.name}` : `was not in ${group.name}`);
  },
} satisfies Record<string, StepAction>;
