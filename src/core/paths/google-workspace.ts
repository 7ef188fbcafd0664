// Google Workspace: an account of its own, with sessions Entra ID does not end. The user is signed
// out of every web and device session (users.signOut), then suspended (users.update
// {suspended:true}) and read back. Signing out first leaves nothing open behind the suspension,
// and a suspended account cannot start new sessions, so the order leaves no gap to sign in again.
// Found by an exact address match only: a wrong guess would lock out somebody else.
import { DirectoryError } from '../errors';
import type { DirectoryUser, RevocationRequest, Step } from '../model';
import type { StepAction, StepContext } from '../revocation/step-context';
import { requireSubject, verificationFailed } from '../revocation/step-helpers';
import { noAccount, unverifiable, verified } from '../revocation/step-result';
import {
  AMBIGUOUS_GOOGLE_USER,
  GOOGLE_WORKSPACE,
  type GoogleWorkspaceDirectory,
  type GoogleWorkspaceUser,
} from '../saas/google-workspace-port';
import {
  after,
  pendingStep,
  type AccessPath,
  type GatherContext,
  type PlanPart,
  type ResidualLine,
  type RestorePart,
} from './access-path';
import { ENTRA_ACCOUNT_STEP_IDS } from './entra-account';
import {
  addMinutes,
  clock,
  confirmed,
  stepOfKind,
  subjectName,
  succeeded,
} from './residual-helpers';

export const GOOGLE_KINDS = {
  signOut: 'google.signOut',
  suspend: 'google.suspendUser',
  unsuspend: 'restore.unsuspendGoogleUser',
} as const;

export const GOOGLE_STEP_IDS = {
  signOut: 'google-sign-out',
  suspend: 'google-suspend',
  unsuspend: 'restore-google-unsuspend',
} as const;

/** What the look-up before approval found: the account, none, or why Google could not be asked. */
export interface GoogleWorkspaceInventory {
  /** The addresses looked for: the target's UPN and mail. */
  addresses: string[];
  account?: GoogleWorkspaceUser;
  /** Set when Google could not be searched (an outage, a missing scope): the plan says so. */
  unsearched?: string;
  /** Set when the addresses lead to several accounts: none is touched, and the plan says so. */
  ambiguous?: true;
}

/**
 * Google says current Gmail sessions can take up to 60 minutes to end after a sign-out ("Reset a
 * user's sign-in cookies", https://support.google.com/a/answer/178854), and users.signOut
 * ("Signs a user out of all web and device sessions and reset their sign-in cookies",
 * https://developers.google.com/admin-sdk/directory/reference/rest/v1/users/signOut) has nothing
 * to read back: the step is accepted, not verified.
 */
const GMAIL_SIGN_OUT_MINUTES = 60;

const actions = {
  [GOOGLE_KINDS.signOut]: async (context) => {
    const { retrying } = context;
    const google = requireGoogle(context);
    const account = requireSubject(context);
    const user = await retrying(() => google.getUser(account.id));
    if (!user)
      return noAccount(
        `${account.name}: the Google Workspace account no longer exists`,
        `Google Workspace answered 404 for ${account.name}: the account was deleted after the request was made, so it has no session to end`,
      );
    // Signing out again is harmless: it only resets the sign-in cookies once more.
    await retrying(() => google.signOut(account.id));
    return unverifiable(
      `${account.name}: Google Workspace accepted the sign-out of every web and device session`,
      `the Directory API has no read-back of a user's sessions, and Google says current Gmail sessions can take up to ${GMAIL_SIGN_OUT_MINUTES} minutes to end`,
    );
  },

  [GOOGLE_KINDS.suspend]: async (context) => {
    const { retrying, remember } = context;
    const google = requireGoogle(context);
    const account = requireSubject(context);
    const before = await retrying(() => google.getUser(account.id));
    if (!before)
      return noAccount(
        `${account.name}: the Google Workspace account no longer exists`,
        `Google Workspace answered 404 for ${account.name}: the account was deleted after the request was made`,
      );
    // Kept across a repeated run, so a restore un-suspends only an account that was active.
    await remember({ wasSuspended: before.suspended });
    if (!before.suspended) await retrying(() => google.setSuspended(account.id, true));
    const now = await retrying(() => google.getUser(account.id));
    if (!now) return verified(`${account.name}: the account is gone (404 on read-back)`);
    if (!now.suspended)
      throw verificationFailed(`Google Workspace still shows ${account.name} as not suspended.`);
    return verified(
      before.suspended
        ? `${account.name} was already suspended (suspended=true read back)`
        : `${account.name} suspended (suspended=true read back)`,
    );
  },

  [GOOGLE_KINDS.unsuspend]: async (context) => {
    const { retrying } = context;
    const google = requireGoogle(context);
    const account = requireSubject(context);
    await retrying(() => google.setSuspended(account.id, false));
    const now = await retrying(() => google.getUser(account.id));
    if (!now)
      throw new DirectoryError(
        'not_found',
        `${account.name} no longer exists in Google Workspace, so it cannot be un-suspended.`,
      );
    if (now.suspended)
      throw verificationFailed(`Google Workspace still shows ${account.name} as suspended.`);
    return verified(`${account.name} un-suspended (suspended=false read back)`);
  },
} satisfies Record<string, StepAction>;

export const googleWorkspacePath: AccessPath<GoogleWorkspaceInventory> = {
  name: 'google-workspace',
  title: 'Google Workspace sessions and account',
  actions,
  gather: gatherGoogleAccount,
  plan: planGoogle,
  restore: restoreGoogle,
  residual: { rank: 22, lines: (request) => googleLines(request) },

  // Another admin, or a directory sync into Google, can un-suspend the account.
  drift: {
    order: 3,
    step: GOOGLE_KINDS.suspend,
    async reEnabled(request, { connectors }, retrying) {
      const google = connectors?.get(GOOGLE_WORKSPACE);
      const subject = stepOfKind(request, GOOGLE_KINDS.suspend)?.subject;
      if (!google || !subject) return undefined;
      const user = await retrying(() => google.getUser(subject.id));
      return user && !user.suspended ? `Google Workspace account ${subject.name}` : undefined;
    },
  },
};

/** The target's UPN and mail, each once whatever its case: the addresses Google is asked about. */
export function googleAddresses(user: Pick<DirectoryUser, 'userPrincipalName' | 'mail'>): string[] {
  const addresses: string[] = [];
  for (const address of [user.userPrincipalName, user.mail]) {
    if (!address) continue;
    if (!addresses.some((a) => a.toLowerCase() === address.toLowerCase())) addresses.push(address);
  }
  return addresses;
}

async function gatherGoogleAccount(
  context: GatherContext,
): Promise<GoogleWorkspaceInventory | undefined> {
  const google = context.connectors?.get(GOOGLE_WORKSPACE);
  if (!google) return undefined;
  const addresses = googleAddresses(context.user);
  try {
    const account = await context.retrying(() => google.findUser(addresses));
    return account ? { addresses, account } : { addresses };
  } catch (error) {
    if (!(error instanceof DirectoryError)) throw error;
    // Two accounts: none is touched (a guess could suspend someone else), but the emergency
    // request goes on for every other path, as with Okta, Slack and GitHub.
    if (error.code === AMBIGUOUS_GOOGLE_USER) return { addresses, ambiguous: true };
    // Google being down or misconfigured must not stop an emergency request: the card says so.
    return { addresses, unsearched: error.message };
  }
}

export function planGoogle(
  inventory: GoogleWorkspaceInventory,
  { planned }: { planned: ReadonlySet<string> },
): PlanPart {
  const { account, addresses, unsearched } = inventory;
  const looked = addresses.join(' or ');
  if (inventory.ambiguous)
    return {
      steps: [],
      notes: [
        `Google Workspace has several accounts for ${looked}: none is touched. Sign the right one out and suspend it in the Google Admin console.`,
      ],
    };
  if (unsearched !== undefined)
    return {
      steps: [],
      notes: [
        `Google Workspace could not be searched for ${looked} (${unsearched}): nothing is done there. Sign the user out and suspend them in the Google Admin console.`,
      ],
    };
  if (!account)
    return {
      steps: [],
      notes: [
        `No Google Workspace account for ${looked} (no primary email or alias is exactly that address): nothing to do there.`,
      ],
    };
  const subject = { id: account.id, name: account.primaryEmail };
  // After the Entra ID disable: where Entra ID signs users in to Google, no new session can start.
  const afterDisable = after(planned, ENTRA_ACCOUNT_STEP_IDS.disable);
  const steps: Step[] = [
    {
      ...pendingStep(
        GOOGLE_STEP_IDS.signOut,
        GOOGLE_KINDS.signOut,
        `Sign ${account.primaryEmail} out of every Google Workspace web and device session`,
        afterDisable,
      ),
      subject,
    },
    {
      ...pendingStep(
        GOOGLE_STEP_IDS.suspend,
        GOOGLE_KINDS.suspend,
        `Suspend the Google Workspace account ${account.primaryEmail}`,
        [...afterDisable, GOOGLE_STEP_IDS.signOut],
      ),
      subject: { ...subject },
    },
  ];
  const notes = account.suspended
    ? [
        `The Google Workspace account ${account.primaryEmail} is already suspended: it is signed out anyway, and a restore leaves it suspended.`,
      ]
    : [];
  return { steps, notes };
}

export function restoreGoogle(
  original: RevocationRequest,
  { planned }: { planned: ReadonlySet<string> },
): RestorePart {
  const part: RestorePart = { steps: [], notes: [], notRestored: [] };
  const suspend = stepOfKind(original, GOOGLE_KINDS.suspend);
  const signOut = stepOfKind(original, GOOGLE_KINDS.signOut);
  const step = suspend ?? signOut;
  if (!step) return part;
  const name = subjectName(step);
  // Only what this revocation changed: an account suspended before stays so.
  if (suspend?.facts?.['wasSuspended'] === false && suspend.subject) {
    part.steps.push({
      ...pendingStep(
        GOOGLE_STEP_IDS.unsuspend,
        GOOGLE_KINDS.unsuspend,
        `Un-suspend the Google Workspace account ${name}`,
        after(planned, ENTRA_ACCOUNT_STEP_IDS.enable),
      ),
      subject: { ...suspend.subject },
    });
  } else if (suspend?.facts?.['wasSuspended'] === true) {
    part.notes.push(
      `The Google Workspace account ${name} was already suspended before the revocation: it stays suspended.`,
    );
  }
  if (signOut && succeeded(signOut) && signOut.verification?.state !== 'no_account')
    part.notRestored.push(
      `Google Workspace sessions are not restored: ${name} signs in to Google again.`,
    );
  return part;
}

/**
 * What may still reach Google Workspace. Sources: users.signOut (above); suspending a user makes
 * every Google Workspace service unavailable to them (https://support.google.com/a/answer/33312);
 * OAuth tokens granted to apps and app passwords are revoked apart from sign-out and suspension
 * (users.tokens and users.asps in the Directory API; Google's checklist for a compromised account
 * lists them as steps of their own), and Revoke does not revoke them.
 */
export function googleLines(request: RevocationRequest): ResidualLine[] {
  const signOut = stepOfKind(request, GOOGLE_KINDS.signOut);
  const suspend = stepOfKind(request, GOOGLE_KINDS.suspend);
  const step = suspend ?? signOut;
  if (!step) return [];
  const name = subjectName(step);
  const gone = [signOut, suspend].some(
    (s) => succeeded(s) && s?.verification?.state === 'no_account',
  );
  if (gone)
    return [
      {
        what: `Google Workspace account ${name}`,
        until: 'nothing: the account no longer exists',
        revokeDid: 'found the account deleted (404) when its step ran',
        adminCan: 'nothing more in Google Workspace',
      },
    ];
  const signedOut = succeeded(signOut);
  const suspended = confirmed(suspend);
  const at = signOut?.finishedAt ?? '';
  const did: string[] = [];
  if (signedOut)
    did.push(
      `asked Google at ${clock(at)} to sign ${name} out of every web and device session; Google accepted (it offers no read-back)`,
    );
  else did.push(`did NOT sign ${name} out (${failure(signOut)})`);
  if (suspended)
    did.push(
      suspend?.facts?.['wasSuspended'] === true
        ? 'the account was already suspended (read back)'
        : 'suspended the account (read back)',
    );
  else did.push(`did NOT suspend the account (${failure(suspend)})`);
  const until: string[] = [];
  if (!signedOut) until.push('open sessions until they expire or are ended');
  else
    until.push(
      `current Gmail sessions up to ${GMAIL_SIGN_OUT_MINUTES} minutes after the sign-out, until ${clock(addMinutes(at, GMAIL_SIGN_OUT_MINUTES))} (Google's figure)`,
    );
  if (!suspended) until.push('new sign-ins until the account is suspended');
  until.push('OAuth tokens of apps and app passwords until an administrator revokes them');
  const adminCan: string[] = [];
  if (!signedOut || !suspended)
    adminCan.push(
      'retry the failed steps, or sign the user out and suspend them in the Google Admin console',
    );
  adminCan.push(
    "revoke the user's OAuth tokens and app passwords in the Google Admin console (the user's Security page)",
  );
  return [
    {
      what: `Google Workspace sessions and app tokens of ${name}`,
      until: until.join('; '),
      revokeDid: did.join('; '),
      adminCan: adminCan.join('; '),
    },
  ];
}

function failure(step: Step | undefined): string {
  if (!step) return 'not in this plan';
  if (step.status === 'failed') return `failed: ${step.error?.message ?? 'no reason recorded'}`;
  if (step.status === 'succeeded') return `not confirmed: ${describeVerification(step)}`;
  return 'did not run';
}

function describeVerification(step: Step): string {
  const verification = step.verification;
  return verification && verification.state !== 'verified' ? verification.why : 'not read back';
}

function requireGoogle(context: StepContext): GoogleWorkspaceDirectory {
  const google = context.connectors?.get(GOOGLE_WORKSPACE);
  if (!google)
    throw new DirectoryError(
      'misconfigured',
      'Google Workspace is not configured (GOOGLE_SERVICE_ACCOUNT_KEY_FILE, GOOGLE_ADMIN_SUBJECT), but the plan has a Google Workspace step.',
    );
  return google;
}
