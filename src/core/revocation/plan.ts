// The revocation plan: which steps run for a user, and in what order. It follows Microsoft's
// emergency-revocation runbook for hybrid environments, as a small dependency graph.
//
// `dependsOn` means "runs after", not "needs to have succeeded": in an emergency a failed step
// must not stop the others (a cloud disable is still worth doing when AD is unreachable).
import type { Device, RevocationProfile, Step, StepKind, TargetSnapshot } from '../model';
import { containmentSteps, type ContainmentInventory } from './containment-plan';
import { appSteps, type AppInventory } from './app-plan';
import { withUniqueStepIds } from './step-ids';

export interface PlanOptions {
  /** Whether an on-premises AD connection is configured. */
  onPremConfigured: boolean;
  /** Termination when absent. */
  profile?: RevocationProfile;
  /** What the profile's and the options' extra steps act on, looked up before the plan is made. */
  containment?: ContainmentInventory;
  /** The apps the user is deprovisioned from, in every profile. */
  apps?: AppInventory;
}

export interface Plan {
  steps: Step[];
  notes: string[];
}

export const STEP_IDS = {
  adDisable: 'ad-disable',
  adResetPassword: 'ad-reset-password',
  entraDisable: 'entra-disable',
  entraRevokeSessions: 'entra-revoke-sessions',
} as const;

export function deviceStepId(deviceId: string): string {
  return `device-${deviceId}`;
}

export function buildPlan(target: TargetSnapshot, devices: Device[], options: PlanOptions): Plan {
  const steps: Step[] = [];
  const notes: string[] = [];
  const onPrem = target.onPremisesSynced && options.onPremConfigured;

  // On-prem goes first: directory sync would otherwise re-enable the cloud account from AD.
  if (onPrem) {
    steps.push(
      step(STEP_IDS.adDisable, 'ad.disableAccount', 'Disable the on-premises AD account', []),
    );
    // Twice, so the previous password's hash (usable for pass-the-hash) is out of AD's history.
    steps.push(
      step(
        STEP_IDS.adResetPassword,
        'ad.resetPasswordTwice',
        'Reset the AD password twice to random values',
        [STEP_IDS.adDisable],
      ),
    );
  } else if (target.onPremisesSynced) {
    notes.push(
      'This account is synced from on-premises AD, but no AD connection is configured: disable it in AD too, or the next directory sync may re-enable it.',
    );
  }
  const afterOnPrem = onPrem ? [STEP_IDS.adDisable] : [];
  steps.push(
    step(
      STEP_IDS.entraDisable,
      'entra.disableAccount',
      'Disable the Entra ID account',
      afterOnPrem,
    ),
  );
  // After the disable, so no new refresh token can be minted between the two.
  steps.push(
    step(
      STEP_IDS.entraRevokeSessions,
      'entra.revokeSessions',
      'Revoke refresh tokens and sign-in sessions',
      [STEP_IDS.entraDisable],
    ),
  );
  // One step per device, even if a listing repeated one (the same id is the same device).
  for (const device of uniqueById(devices)) {
    steps.push({
      ...step(
        deviceStepId(device.id),
        'entra.disableDevice',
        `Disable device ${device.displayName}`,
        afterOnPrem,
      ),
      subject: { id: device.id, name: device.displayName },
    });
  }
  if (options.containment) {
    const extra = containmentSteps(options.profile ?? 'termination', options.containment);
    steps.push(...extra.steps);
    notes.push(...extra.notes);
  }
  if (options.apps) steps.push(...appSteps(options.apps));
  return { steps: withUniqueStepIds(steps), notes };
}

function uniqueById(devices: readonly Device[]): Device[] {
  return [...new Map(devices.map((d) => [d.id, d] as const)).values()];
}

function step(id: string, kind: StepKind, title: string, dependsOn: string[]): Step {
  return { id, kind, title, dependsOn, status: 'pending', attempts: 0 };
}

/** Steps whose predecessors have all finished, in plan order. */
export function readySteps(steps: Step[]): Step[] {
  const finished = new Set(
    steps.filter((s) => s.status === 'succeeded' || s.status === 'failed').map((s) => s.id),
  );
  return steps.filter((s) => s.status === 'pending' && s.dependsOn.every((id) => finished.has(id)));
}
