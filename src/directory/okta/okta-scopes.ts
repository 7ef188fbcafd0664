// The OAuth 2.0 scopes Revoke's Okta service app asks for, least privilege, and which call needs
// which. Source: Okta Management API reference (developer.okta.com/docs/api/openapi/okta-management):
// "List all users" and "Retrieve a user" name okta.users.read; the UserLifecycle operations
// (suspend, unsuspend, deactivate) and UserSessions "Revoke all user sessions" name
// okta.users.manage. Okta's scopes guide: .read scopes for GET, .manage for POST, PUT and DELETE.

export const OKTA_USERS_READ = 'okta.users.read';
export const OKTA_USERS_MANAGE = 'okta.users.manage';

/** Asked for on every token request; the service app must have been granted both. */
export const OKTA_SCOPES: readonly string[] = [OKTA_USERS_READ, OKTA_USERS_MANAGE];

export type OktaOperation =
  | 'find the user'
  | 'read the user'
  | 'suspend the user'
  | 'unsuspend the user'
  | 'deactivate the user'
  | 'clear the user sessions'
  | 'get an access token';

const SCOPE_FOR: Record<OktaOperation, readonly string[]> = {
  'find the user': [OKTA_USERS_READ],
  'read the user': [OKTA_USERS_READ],
  'suspend the user': [OKTA_USERS_MANAGE],
  'unsuspend the user': [OKTA_USERS_MANAGE],
  'deactivate the user': [OKTA_USERS_MANAGE],
  'clear the user sessions': [OKTA_USERS_MANAGE],
  'get an access token': OKTA_SCOPES,
};

export function scopesFor(op: OktaOperation): readonly string[] {
  return SCOPE_FOR[op];
}
