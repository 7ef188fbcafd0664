// The one GraphQL query the adapter makes: an organisation's external (SAML/SCIM) identities,
// filtered by userName. GitHub matches the filter against the SAML nameId and the SCIM userName;
// the stand-in matches it loosely (a substring, case aside) so that an adapter trusting the filter
// to be exact is caught. Errors come as GitHub sends them: 200 with an `errors` list.
import type { Answer } from './answer';
import type { GithubState, StandinPermission } from './state';

interface GraphqlRequest {
  query?: string;
  variables?: { org?: string; userName?: string; after?: string | null };
}

export function answerGraphql(
  state: GithubState,
  permissions: ReadonlySet<StandinPermission>,
  body: unknown,
): Answer {
  const { query = '', variables = {} } = (body ?? {}) as GraphqlRequest;
  if (!/samlIdentityProvider/.test(query) || !/externalIdentities/.test(query))
    return { status: 200, body: { errors: [{ message: 'the stand-in knows one query only' }] } };
  if ((variables.org ?? '').toLowerCase() !== state.org.toLowerCase())
    return {
      status: 200,
      body: {
        data: { organization: null },
        errors: [
          {
            type: 'NOT_FOUND',
            path: ['organization'],
            message: `Could not resolve to an Organization with the login of '${variables.org ?? ''}'.`,
          },
        ],
      },
    };
  if (!permissions.has('identities'))
    return {
      status: 200,
      body: {
        data: { organization: { samlIdentityProvider: null } },
        errors: [
          {
            type: 'FORBIDDEN',
            path: ['organization', 'samlIdentityProvider'],
            message: 'Resource not accessible by personal access token',
          },
        ],
      },
    };
  if (!state.samlEnabled)
    return { status: 200, body: { data: { organization: { samlIdentityProvider: null } } } };
  const wanted = (variables.userName ?? '').toLowerCase();
  const matching = state.identities.filter(
    (i) =>
      i.nameId.toLowerCase().includes(wanted) ||
      (i.scimUserName ?? '').toLowerCase().includes(wanted),
  );
  const first = /first:\s*(\d+)/.exec(query)?.[1];
  const size = Number(first ?? 100);
  const start = variables.after ? Number(variables.after) : 0;
  const slice = matching.slice(start, start + size);
  const end = start + slice.length;
  return {
    status: 200,
    body: {
      data: {
        organization: {
          samlIdentityProvider: {
            externalIdentities: {
              pageInfo: { hasNextPage: end < matching.length, endCursor: String(end) },
              nodes: slice.map((i) => ({
                samlIdentity: { nameId: i.nameId },
                scimIdentity: i.scimUserName ? { username: i.scimUserName } : null,
                user: i.login ? { login: i.login } : null,
              })),
            },
          },
        },
      },
    },
  };
}
