// The containment group, compromised profile with CONTAINMENT_GROUP_ID: the user is added to a
// group a Conditional Access policy blocks, which holds even if someone enables the account again.
import type { StepAction } from '../revocation/step-context';
import { requireContainment, requireSubject, verificationFailed } from '../revocation/step-helpers';
import { verified } from '../revocation/step-result';
import { pendingStep, type AccessPath, type RestorePart } from './access-path';
import { SESSION_STEP_IDS } from './entra-sessions';
import { containmentOrRefuse } from './gather-helpers';
import { stepOfKind } from './residual-helpers';

export const CONTAINMENT_GROUP_KINDS = {
  add: 'entra.addToContainmentGroup',
  remove: 'restore.removeFromContainmentGroup',
} as const;

export const CONTAINMENT_GROUP_STEP_IDS = {
  add: 'containment-group',
  remove: 'restore-containment-group',
} as const;

interface ContainmentGroup {
  id: string;
  name: string;
}

const actions = {
  [CONTAINMENT_GROUP_KINDS.add]: async (context) => {
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

  [CONTAINMENT_GROUP_KINDS.remove]: async (context) => {
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

export const containmentGroupPath: AccessPath<ContainmentGroup> = {
  name: 'containment-group',
  title: 'Containment group (Conditional Access)',
  actions,

  async gather(context) {
    if (context.profile !== 'compromised') return undefined;
    const containment = containmentOrRefuse(context);
    const groupId = context.settings.containmentGroupId;
    if (groupId === undefined) return undefined;
    const name = await context.retrying(() => containment.getGroupName(groupId));
    return { id: groupId, name: name ?? groupId };
  },

  plan: (group) => ({
    steps: [
      {
        ...pendingStep(
          CONTAINMENT_GROUP_STEP_IDS.add,
          CONTAINMENT_GROUP_KINDS.add,
          `Add to the containment group ${group.name}`,
        ),
        subject: { ...group },
      },
    ],
    notes: [],
    // Conditional Access applies the group to sessions issued after it: the revocation must
    // come after, or the sessions it makes the user re-establish would escape the group.
    runsBefore: [{ step: CONTAINMENT_GROUP_STEP_IDS.add, before: SESSION_STEP_IDS.revoke }],
  }),

  restore(original) {
    const part: RestorePart = { steps: [], notes: [], notRestored: [] };
    const added = stepOfKind(original, CONTAINMENT_GROUP_KINDS.add);
    if (added?.facts?.['wasMember'] === false && added.subject) {
      part.steps.push({
        ...pendingStep(
          CONTAINMENT_GROUP_STEP_IDS.remove,
          CONTAINMENT_GROUP_KINDS.remove,
          `Remove from the containment group ${added.subject.name}`,
        ),
        subject: { ...added.subject },
      });
    }
    return part;
  },

  graph: [
    { operations: ['getGroupName'], onlyFor: 'the containment group (CONTAINMENT_GROUP_ID)' },
    { operations: ['addGroupMember'], onlyFor: 'the containment group (CONTAINMENT_GROUP_ID)' },
    { operations: ['removeGroupMember'], onlyFor: 'restoring after a false alarm' },
  ],
};
