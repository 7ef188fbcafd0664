// Revoking refresh tokens and sign-in sessions. Graph's answer (`value: true`) only says the
// request was taken; what confirms it is the user's signInSessionsValidFromDateTime, which the
// revocation moves to "now". So the step reads it before and after: verified when it moved, a
// verification failure (repeated, as for any lagging read-back) when it did not, and "accepted,
// not verifiable" when it could not be read, never a silent success.
import { DirectoryError } from '../errors';
import type { StepContext } from './step-context';
import { verificationFailed } from './step-helpers';
import { unverifiable, verified, type StepResult } from './step-result';

/**
 * Graph keeps the time to the second, so a revocation repeated within the second an earlier one
 * set leaves it where it was. Such a value still counts when it is this recent against our clock
 * (which may be off Graph's by a little).
 */
const SAME_VALUE_WINDOW_MS = 5 * 60_000;

type Reading = { validFrom: string | undefined } | { unreadable: string };

export async function revokeSessions(context: StepContext): Promise<StepResult> {
  const { target, directory, retrying, remember, step } = context;
  const read = () =>
    readValidFrom(() => retrying(() => directory.getSignInSessionsValidFrom(target.id)));
  // An unreadable "before" must not hold up the revocation; it only weakens what can be shown.
  const before = await read();
  await retrying(() => directory.revokeSignInSessions(target.id));
  const after = await read();
  const accepted = 'Entra ID accepted the revocation of refresh tokens and sessions (value=true)';
  if ('unreadable' in after) {
    return unverifiable(
      accepted,
      `signInSessionsValidFromDateTime could not be read back (${after.unreadable})`,
    );
  }
  if (after.validFrom === undefined) {
    return unverifiable(accepted, 'Graph shows no signInSessionsValidFromDateTime afterwards');
  }
  const validFrom = after.validFrom;
  await remember({ validFrom });
  if ('unreadable' in before) {
    return unverifiable(
      `${accepted}; signInSessionsValidFromDateTime reads ${validFrom}`,
      `its value before the revocation could not be read (${before.unreadable}), so the change cannot be shown`,
    );
  }
  const startedAt = Date.parse(step.startedAt ?? '');
  const moved =
    before.validFrom === undefined ||
    Date.parse(validFrom) > Date.parse(before.validFrom) ||
    (Date.parse(validFrom) === Date.parse(before.validFrom) &&
      Date.parse(validFrom) >= startedAt - SAME_VALUE_WINDOW_MS);
  if (!moved) {
    throw verificationFailed(
      `signInSessionsValidFromDateTime still reads ${validFrom}, not later than before the revocation.`,
    );
  }
  return verified(
    `refresh tokens and sessions issued before ${validFrom} are invalid (signInSessionsValidFromDateTime read back)`,
  );
}

/** Only a directory's own failure is "unreadable"; shutdown and takeover signals pass through. */
async function readValidFrom(read: () => Promise<string | undefined>): Promise<Reading> {
  try {
    return { validFrom: await read() };
  } catch (error) {
    if (!(error instanceof DirectoryError)) throw error;
    return { unreadable: error.code ? `${error.code}: ${error.message}` : error.message };
  }
}
