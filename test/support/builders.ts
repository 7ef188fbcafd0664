// Test data builders shared by every test suite. `aRequest()` is a complete, valid pending
// request; pass overrides for what the test is about and leave the rest alone.
import type { Rechecked } from '../../src/core/approval/policy';
import type {
  Approval,
  Person,
  RevocationRequest,
  Step,
  TargetSnapshot,
} from '../../src/core/model';

export const ALICE: TargetSnapshot = {
  id: '6b1f0c52-8f4e-4a57-9d2c-1e3a5b7c9d01',
  userPrincipalName: 'alice.johnson@contoso.com',
  displayName: 'Alice Johnson',
  jobTitle: 'Financial Analyst',
  department: 'Finance',
  onPremisesSynced: true,
  onPremisesSamAccountName: 'ajohnson',
  onPremisesSecurityIdentifier: 'S-1-5-21-1004336348-1177238915-682003330-1105',
  onPremisesUserPrincipalName: 'alice.johnson@contoso.com',
  deviceCount: 1,
};

export const SAM: Person = {
  id: '0f8e2d4c-1a3b-4c5d-8e7f-9a0b1c2d3e01',
  name: 'Sam Rivera',
  upn: 'sam.rivera@contoso.com',
  channelAccountId: '29:sandbox-sam-rivera',
};

export const PRIYA: Person = {
  id: '2a4c6e80-3b5d-4f71-9a2c-4e6f8a0b2c02',
  name: 'Priya Patel',
  upn: 'priya.patel@contoso.com',
  channelAccountId: '29:sandbox-priya-patel',
};

export const MARCUS: Person = {
  id: '3b5d7f91-4c6e-4a82-8b3d-5f7a9b1c3d03',
  name: 'Marcus Chen',
  upn: 'marcus.chen@contoso.com',
  channelAccountId: '29:sandbox-marcus-chen',
};

export function aStep(overrides: Partial<Step> = {}): Step {
  return {
    id: 'entra.disableAccount',
    kind: 'entra.disableAccount',
    title: 'Disable the Entra ID account',
    dependsOn: [],
    status: 'pending',
    attempts: 0,
    ...overrides,
  };
}

/** The plan for a synced user with one device, all steps pending. */
export function theStandardSteps(deviceId = 'd1c2b3a4-0000-4000-8000-000000000001'): Step[] {
  return [
    aStep({
      id: 'ad.disableAccount',
      kind: 'ad.disableAccount',
      title: 'Disable the Active Directory account',
    }),
    aStep({
      id: 'ad.resetPasswordTwice',
      kind: 'ad.resetPasswordTwice',
      title: 'Reset the Active Directory password twice',
      dependsOn: ['ad.disableAccount'],
    }),
    aStep({ id: 'entra.disableAccount' }),
    aStep({
      id: 'entra.revokeSessions',
      kind: 'entra.revokeSessions',
      title: 'Revoke sign-in sessions',
      dependsOn: ['entra.disableAccount'],
    }),
    aStep({
      id: `entra.disableDevice:${deviceId}`,
      kind: 'entra.disableDevice',
      title: 'Disable device ALICE-LAPTOP',
      dependsOn: ['entra.disableAccount'],
      subject: { id: deviceId, name: 'ALICE-LAPTOP' },
    }),
  ];
}

export function aRequest(overrides: Partial<RevocationRequest> = {}): RevocationRequest {
  return {
    id: 'REQ-20250301-0001',
    version: 1,
    status: 'pending',
    target: { ...ALICE },
    reason: 'Laptop reported stolen; credentials possibly compromised',
    requester: { ...SAM },
    createdAt: '2025-03-01T09:00:00.000Z',
    expiresAt: '2025-03-01T10:00:00.000Z',
    requiredApprovals: 2,
    approvals: [],
    steps: theStandardSteps(),
    planNotes: [],
    card: {
      conversationReference: '{"conversation":{"id":"19:sandbox-soc-channel"}}',
      cardActivityId: '1740819600000',
    },
    ...overrides,
  };
}

/** A final approval's re-check that found every approval already counted still valid. */
export function allStillCount(request: { approvals: readonly Approval[] }): Rechecked {
  return new Map(request.approvals.map((approval) => [approval.approver.id, undefined]));
}
