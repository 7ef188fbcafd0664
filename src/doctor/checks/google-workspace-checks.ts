// Google Workspace: can the service account get a token for both scopes as the administrator
// (domain-wide delegation), and can it read that administrator with users.get? Nothing is changed:
// the scope for users.signOut is proven by the token alone, since Google refuses a token for any
// scope that is not delegated.
import { DirectoryError, describeError } from '../../core/errors';
import type { GoogleWorkspaceAdapter } from '../../directory/google-workspace';
import { fail, ok, type CheckResult } from '../check-result';

export async function checkGoogleWorkspace(
  adapter: Pick<GoogleWorkspaceAdapter, 'checkToken' | 'getUser'>,
  facts: { subject: string; subjectEnv: string; clientId: string; scopes: readonly string[] },
): Promise<CheckResult[]> {
  const tokenName = 'Google Workspace token';
  try {
    await adapter.checkToken();
  } catch (error) {
    return [fail(tokenName, describeError(error), adviceOf(error))];
  }
  const results = [
    ok(
      tokenName,
      `obtained for client ID ${facts.clientId} acting as ${facts.subject}, with ${facts.scopes.join(' and ')}`,
    ),
  ];
  const readName = 'Google Workspace users.get';
  try {
    const admin = await adapter.getUser(facts.subject);
    results.push(
      admin
        ? ok(readName, `reads ${admin.primaryEmail} (the administrator Revoke acts as)`)
        : fail(
            readName,
            `Google Workspace has no user ${facts.subject}`,
            `Set ${facts.subjectEnv} to the primary email of an administrator who may manage users.`,
          ),
    );
  } catch (error) {
    results.push(fail(readName, describeError(error), adviceOf(error)));
  }
  return results;
}

function adviceOf(error: unknown): string {
  if (error instanceof DirectoryError && error.advice) return error.advice;
  return 'Check the service account key, GOOGLE_ADMIN_SUBJECT and that Google Workspace can be reached from here.';
}
