// Checks shared by the step actions: the AD account the target maps to, the containment
// directory and the step's subject a step needs, and the error a failed read-back raises.
import type { OnPremAccount, OnPremDirectory } from '../ports';
import type { ContainmentDirectory } from '../containment-ports';
import type { StepSubject } from '../model';
import { DirectoryError } from '../errors';
import type { StepContext } from './step-context';

export function requireOnPrem(context: StepContext): OnPremDirectory {
  if (!context.onPrem) {
    throw new DirectoryError(
      'misconfigured',
      'On-premises AD is not configured (LDAP_URL), but the plan has an AD step.',
    );
  }
  return context.onPrem;
}

export async function findOnPremAccount(
  context: StepContext,
  onPrem: OnPremDirectory,
): Promise<OnPremAccount> {
  const { target } = context;
  const account = await context.retrying(() =>
    onPrem.findAccount({
      securityIdentifier: target.onPremisesSecurityIdentifier,
      samAccountName: target.onPremisesSamAccountName,
      userPrincipalName: target.onPremisesUserPrincipalName,
    }),
  );
  if (!account) {
    throw new DirectoryError(
      'not_found',
      `No AD account matches ${target.onPremisesSamAccountName ?? target.onPremisesSecurityIdentifier ?? target.userPrincipalName}.`,
      { advice: 'Check LDAP_BASE_DN covers the OU that holds this user.' },
    );
  }
  return account;
}

const VERIFICATION_FAILED = 'VerificationFailed';

export function verificationFailed(message: string): DirectoryError {
  return new DirectoryError('rejected', `Verification failed: ${message}`, {
    code: VERIFICATION_FAILED,
  });
}

/**
 * A read-back that did not show the write yet. Graph, Intune and Identity Protection apply some
 * writes asynchronously, so this is worth repeating the (idempotent) step for, a few times.
 */
export function isVerificationFailure(error: unknown): boolean {
  return error instanceof DirectoryError && error.code === VERIFICATION_FAILED;
}

export function requireContainment(context: StepContext): ContainmentDirectory {
  if (!context.containment) {
    throw new DirectoryError(
      'misconfigured',
      'This deployment cannot run containment or restore steps (no containment directory).',
    );
  }
  return context.containment;
}

export function requireSubject(context: StepContext): StepSubject {
  const subject = context.step.subject;
  if (!subject)
    throw new DirectoryError('misconfigured', `Step ${context.step.id} names no subject.`);
  return subject;
}
