// Step-up at the Teams edge: before an Approve or Reject counts, the clicker signs in again with
// MFA through the bot's OAuth connection. The first click is answered with a login request (Teams
// shows a sign-in button in place); after the sign-in Teams resends the same invoke carrying the
// magic code as `state`, and the bot fetches the token from the Bot Framework token service with
// it. The token is validated, judged (checkStepUpProof), its id spent, and the user signed out of
// the connection so the next decision asks again.
import type { AdaptiveCardInvokeResponse, AdaptiveCardInvokeValue, TurnContext } from 'botbuilder';
import type { UserTokenClient } from 'botframework-connector';
import type { Clock } from '../../core/clock';
import type { ApprovalProof, Person } from '../../core/model';
import type { Logger } from '../../core/ports';
import type { StepUpLedger } from '../../core/step-up/step-up-ledger';
import {
  checkStepUpProof,
  replayRefusal,
  type ProofCheck,
  type StepUpPolicy,
} from '../../core/step-up/step-up-proof';
import { messageResponse } from '../card-actions';
import {
  InvalidStepUpToken,
  StepUpIssuerUnavailable,
  type StepUpTokenValidator,
} from './token-validator';

/** What the gate decided: a proof to pass on, or the answer to give the clicker instead. */
export type GateAnswer =
  | { kind: 'proven'; proof: ApprovalProof }
  | {
      kind: 'answer';
      response: AdaptiveCardInvokeResponse;
      /** Set when a sign-in was presented and refused: for the audit trail. */
      refusal?: { code: string; reason: string };
    };

export interface StepUpGate {
  /** `subjectId` is the request (or batch) decided on; `person` is who must have signed in. */
  prove(
    context: TurnContext,
    subjectId: string,
    person: Person,
    value: AdaptiveCardInvokeValue,
  ): Promise<GateAnswer>;
}

export interface BotFrameworkStepUpOptions {
  connectionName: string;
  policy: StepUpPolicy;
  validator: StepUpTokenValidator;
  ledger: StepUpLedger;
  clock: Clock;
  logger: Logger;
}

/** The three token-service calls step-up makes, as botbuilder's UserTokenClient offers them. */
type TokenService = Pick<UserTokenClient, 'getUserToken' | 'getSignInResource' | 'signOutUser'>;

export class BotFrameworkStepUp implements StepUpGate {
  constructor(private readonly options: BotFrameworkStepUpOptions) {}

  async prove(
    context: TurnContext,
    subjectId: string,
    person: Person,
    value: AdaptiveCardInvokeValue,
  ): Promise<GateAnswer> {
    const { clock, ledger, logger } = this.options;
    const tokens = tokenServiceOf(context);
    const log = logger.child({ requestId: subjectId, actorId: person.id });
    // Only the magic code of the nominal sign-in is accepted: an SSO token (`authentication`) is
    // handed over silently from the Teams session, which is exactly what step-up must not trust.
    const magicCode =
      typeof value.state === 'string' && value.state !== '' ? value.state : undefined;
    if (magicCode === undefined) {
      await ledger.recordChallenge(subjectId, person.id, clock.now());
      log.info('step-up: sign-in asked');
      return { kind: 'answer', response: await this.loginRequest(context, tokens, subjectId) };
    }
    const result = await this.check(context, tokens, subjectId, person, magicCode);
    if (result.ok) {
      log.info('step-up: proof accepted', {
        method: result.proof.method,
        authTime: result.proof.authTime,
      });
      const { method, authTime, tokenId } = result.proof;
      return { kind: 'proven', proof: { method, authTime, tokenId } };
    }
    log.warn('step-up: proof refused', { code: result.code });
    return {
      kind: 'answer',
      response: messageResponse(`${result.reason} Nothing was changed.`),
      refusal: { code: result.code, reason: result.reason },
    };
  }

  private async check(
    context: TurnContext,
    tokens: TokenService,
    subjectId: string,
    person: Person,
    magicCode: string,
  ): Promise<ProofCheck> {
    const { connectionName, validator, ledger, clock, policy } = this.options;
    const { userId, channelId } = tokenUser(context);
    const response = await tokens.getUserToken(userId, connectionName, channelId, magicCode);
    try {
      if (!response?.token) {
        return {
          ok: false,
          code: 'sign_in_incomplete',
          reason:
            'The sign-in did not complete (the code was not accepted). Click again to sign in.',
        };
      }
      let claims: Record<string, unknown>;
      try {
        claims = await validator.validate(response.token);
      } catch (error) {
        if (error instanceof InvalidStepUpToken) {
          return { ok: false, code: 'invalid_token', reason: error.reason };
        }
        if (error instanceof StepUpIssuerUnavailable) {
          return {
            ok: false,
            code: 'invalid_token',
            reason: `${error.message} Try again shortly.`,
          };
        }
        throw error;
      }
      const now = clock.now();
      const challengedAt = await ledger.challengedAt(subjectId, person.id);
      const result = checkStepUpProof(claims, { clickerId: person.id, challengedAt, now }, policy);
      if (!result.ok) return result;
      const first = await ledger.claimToken(
        result.proof.tokenId,
        person.id,
        now,
        new Date(result.proof.expiresAt),
      );
      return first ? result : replayRefusal();
    } finally {
      // Whatever the outcome: the token service must not hold a token the next click could use
      // without a new sign-in.
      await tokens.signOutUser(userId, connectionName, channelId).catch((error: unknown) =>
        this.options.logger.warn('step-up: sign-out failed', {
          message: error instanceof Error ? error.message : String(error),
        }),
      );
    }
  }

  /** The Universal Actions login request: Teams shows a sign-in button, then resends the invoke. */
  private async loginRequest(
    context: TurnContext,
    tokens: TokenService,
    subjectId: string,
  ): Promise<AdaptiveCardInvokeResponse> {
    const { connectionName } = this.options;
    // No final redirect (botbuilder's own OAuthPrompt passes none either): the token service's
    // page shows the magic code and Teams picks it up.
    const noRedirect = undefined as unknown as string;
    const resource = await tokens.getSignInResource(connectionName, context.activity, noRedirect);
    return {
      statusCode: 401,
      type: 'application/vnd.microsoft.activity.loginRequest',
      value: {
        text: `Sign in with MFA to confirm your decision on ${subjectId}.`,
        connectionName,
        buttons: [
          {
            type: 'signin',
            title: 'Sign in with MFA',
            text: 'Sign in with MFA',
            value: resource.signInLink ?? '',
          },
        ],
      },
    };
  }
}

/** The token service client CloudAdapter put in the turn state for this activity. */
function tokenServiceOf(context: TurnContext): TokenService {
  const adapter = context.adapter as { UserTokenClientKey?: symbol };
  const client =
    adapter.UserTokenClientKey === undefined
      ? undefined
      : context.turnState.get<UserTokenClient | undefined>(adapter.UserTokenClientKey);
  if (!client) {
    throw new Error('Step-up needs the Bot Framework token service: the adapter offers no client.');
  }
  return client;
}

/** The token service knows users by their channel account id, per channel. */
function tokenUser(context: TurnContext): { userId: string; channelId: string } {
  return { userId: context.activity.from?.id ?? '', channelId: context.activity.channelId ?? '' };
}
