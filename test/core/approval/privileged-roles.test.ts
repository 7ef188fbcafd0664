// Which roles make a target privileged: the role definition's own isPrivileged flag, for active
// and PIM-eligible roles alike; an unreadable flag counts as privileged.
import { strict as assert } from 'node:assert';
import { privilegedRoleNames } from '../../../src/core/approval/privileged-roles';

describe('privileged roles', () => {
  it('follows the definition’s flag, not a list of role names', () => {
    assert.deepEqual(
      privilegedRoleNames([
        // A role no hand-kept list had, flagged privileged by Entra ID.
        { id: 'r1', displayName: 'Attribute Provisioning Administrator', isPrivileged: true },
        // A custom role named like an admin role, but not privileged.
        { id: 'r2', displayName: 'Helpdesk Administrator (custom)', isPrivileged: false },
      ]),
      ['Attribute Provisioning Administrator'],
    );
  });

  it('counts eligible roles and roles held through a group, and says how they are held', () => {
    assert.deepEqual(
      privilegedRoleNames([
        {
          id: 'r1',
          displayName: 'Global Administrator',
          isPrivileged: true,
          assignment: 'eligible',
          viaGroup: 'Tier 0',
        },
        {
          id: 'r2',
          displayName: 'Security Administrator',
          isPrivileged: true,
          assignment: 'eligible',
        },
        { id: 'r3', displayName: 'User Administrator', isPrivileged: true, assignment: 'active' },
      ]),
      [
        'Global Administrator (eligible, through Tier 0)',
        'Security Administrator (eligible)',
        'User Administrator',
      ],
    );
  });

  it('a role whose flag could not be read counts as privileged', () => {
    assert.deepEqual(privilegedRoleNames([{ id: 'r1' }, { id: 'r2', displayName: 'Custom' }]), [
      'Custom',
      'an unidentified directory role',
    ]);
  });
});
