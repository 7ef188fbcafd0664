// The statement Revoke adds to a permission set's inline policy to cut one user off, and how it is
// taken out again: pure functions over the policy document, so the action and the restore change
// exactly this statement and leave every other one as they found it.
//
// AWS documents this as the way to end an Identity Center user's active role sessions at once: an
// explicit Deny of every action, conditioned on the user's identity store id, in the inline policy of
// each permission set assigned to the user ("Revoke access for deleted users",
// https://docs.aws.amazon.com/singlesignon/latest/userguide/authconcept-revoke-access.html, and
// https://docs.aws.amazon.com/singlesignon/latest/userguide/revoke-user-permissions.html). It is not
// bounded by aws:TokenIssueTime on purpose: the same page warns that a user with an open AWS access
// portal session "can continue to assume new roles" after being disabled, and a deny of sessions
// issued before now would let exactly those new ones through. The restore removes the statement.
import { DirectoryError } from '../errors';

interface PolicyDocument {
  Version?: string;
  Statement?: unknown;
  [key: string]: unknown;
}

interface Statement {
  Sid?: unknown;
  [key: string]: unknown;
}

/** Statement ids are alphanumeric: one per Revoke target (its Entra object id, without dashes). */
export function denySid(targetId: string): string {
  return `RevokeDeny${targetId.replace(/[^A-Za-z0-9]/g, '')}`;
}

export function denyStatement(sid: string, awsUserId: string): Statement {
  return {
    Sid: sid,
    Effect: 'Deny',
    Action: '*',
    Resource: '*',
    Condition: { StringEquals: { 'identitystore:UserId': awsUserId } },
  };
}

export function hasStatement(policy: string, sid: string): boolean {
  return statementsOf(parse(policy)).some((s) => s.Sid === sid);
}

/** The policy with the deny statement added (unchanged when a statement of that id is there). */
export function withDenyStatement(policy: string, sid: string, awsUserId: string): string {
  const document = parse(policy);
  const statements = statementsOf(document);
  if (statements.some((s) => s.Sid === sid)) return policy;
  return JSON.stringify({
    ...document,
    Version: document.Version ?? '2012-10-17',
    Statement: [...statements, denyStatement(sid, awsUserId)],
  });
}

/** The policy without the statement; `empty` when no statement is left (delete the policy then). */
export function withoutStatement(policy: string, sid: string): { policy: string; empty: boolean } {
  const document = parse(policy);
  const statements = statementsOf(document);
  const kept = statements.filter((s) => s.Sid !== sid);
  if (kept.length === statements.length) return { policy, empty: statements.length === 0 };
  return { policy: JSON.stringify({ ...document, Statement: kept }), empty: kept.length === 0 };
}

function parse(policy: string): PolicyDocument {
  if (policy.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(policy);
  } catch (cause) {
    throw new DirectoryError('rejected', 'The permission set’s inline policy is not valid JSON.', {
      cause,
    });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new DirectoryError(
      'rejected',
      'The permission set’s inline policy is not a JSON object.',
    );
  return parsed as PolicyDocument;
}

/** IAM allows one statement as an object or several as an array. */
function statementsOf(document: PolicyDocument): Statement[] {
  const raw = document.Statement;
  if (raw === undefined) return [];
  const list = Array.isArray(raw) ? (raw as unknown[]) : [raw];
  return list.filter((s): s is Statement => typeof s === 'object' && s !== null);
}
