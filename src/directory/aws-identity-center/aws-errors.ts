// What the AWS SDK throws, as the DirectoryError kinds Revoke's one retry layer acts on. The SDK's
// own retries are off (maxAttempts: 1), so a ThrottlingException reaches this code on the first try
// and Revoke waits the Retry-After the service gave. Messages name the operation and the IAM action
// to grant; never a key (the SDK's messages carry none, and nothing here adds request headers).
import { DirectoryError } from '../../core/errors';

/** The IAM action each operation needs: what a missing permission's advice tells the admin to grant. */
export const IAM_ACTIONS = {
  GetUserId: 'identitystore:GetUserId',
  DescribeUser: 'identitystore:DescribeUser',
  ListGroupMembershipsForMember: 'identitystore:ListGroupMembershipsForMember',
  DescribeGroup: 'identitystore:DescribeGroup',
  DeleteGroupMembership: 'identitystore:DeleteGroupMembership',
  CreateGroupMembership: 'identitystore:CreateGroupMembership',
  ListAccountAssignmentsForPrincipal: 'sso:ListAccountAssignmentsForPrincipal',
  DescribePermissionSet: 'sso:DescribePermissionSet',
  GetInlinePolicyForPermissionSet: 'sso:GetInlinePolicyForPermissionSet',
  PutInlinePolicyToPermissionSet: 'sso:PutInlinePolicyToPermissionSet',
  DeleteInlinePolicyFromPermissionSet: 'sso:DeleteInlinePolicyFromPermissionSet',
  ProvisionPermissionSet: 'sso:ProvisionPermissionSet',
  DescribePermissionSetProvisioningStatus: 'sso:DescribePermissionSetProvisioningStatus',
  DescribeInstance: 'sso:DescribeInstance',
  ListPermissionSets: 'sso:ListPermissionSets',
} as const;

export type AwsOperation = keyof typeof IAM_ACTIONS;

interface SdkError {
  name?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: number; requestId?: string };
  RetryAfterSeconds?: unknown;
  $response?: { headers?: Record<string, string | undefined> };
}

/** Credentials AWS did not accept: the key is unknown, expired or signs wrongly. */
const CREDENTIAL_ERRORS = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'MissingAuthenticationTokenException',
  'IncompleteSignature',
  'ExpiredTokenException',
  'InvalidClientTokenId',
]);

export function toDirectoryError(error: unknown, operation: AwsOperation): DirectoryError {
  if (error instanceof DirectoryError) return error;
  const sdk = (typeof error === 'object' && error !== null ? error : {}) as SdkError;
  const name = typeof sdk.name === 'string' ? sdk.name : 'Error';
  const status = sdk.$metadata?.httpStatusCode;
  const requestId = sdk.$metadata?.requestId;
  // A signature error quotes back the canonical request, whose signed headers may hold a session
  // token: for credential errors the name says enough. Otherwise the first line, kept short.
  const said =
    typeof sdk.message === 'string' && sdk.message && !CREDENTIAL_ERRORS.has(name)
      ? (sdk.message.split('\n')[0] ?? '').slice(0, 300)
      : 'AWS did not accept the request’s credentials';
  const message = `AWS ${operation} failed: ${name}: ${said}`;
  // Loggers print a cause's message (pino follows the chain), so a credential error keeps a cause
  // without AWS's text.
  const cause = CREDENTIAL_ERRORS.has(name)
    ? Object.assign(new Error(`${name} (AWS's message withheld)`), {
        name,
        $metadata: sdk.$metadata,
      })
    : error;
  const details = { code: name, requestId, cause };
  const action = IAM_ACTIONS[operation];

  if (name === 'ThrottlingException' || status === 429)
    return new DirectoryError('throttled', message, {
      ...details,
      retryAfterMs: retryAfterMs(sdk),
    });
  if (name === 'AccessDeniedException')
    return new DirectoryError('permission', message, {
      ...details,
      advice: `Allow ${action} to the IAM principal Revoke signs in as (README, "AWS IAM Identity Center").`,
    });
  if (CREDENTIAL_ERRORS.has(name))
    return new DirectoryError('permission', message, {
      ...details,
      advice:
        'AWS did not accept Revoke’s credentials: check the access key (or role) the standard AWS variables give Revoke.',
    });
  if (name === 'CredentialsProviderError')
    return new DirectoryError('misconfigured', `AWS ${operation}: no AWS credentials found.`, {
      ...details,
      advice:
        'Give Revoke AWS credentials through the standard chain: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile, or a role.',
    });
  if (name === 'ResourceNotFoundException')
    return new DirectoryError('not_found', message, details);
  // "A conflict with a previous successful write ... A retry (with appropriate backoff logic) is
  // the recommended response" (SSO Admin API reference, ConflictException): e.g. a provisioning of
  // the same permission set still running.
  if (name === 'ConflictException') return new DirectoryError('transient', message, details);
  if (name === 'InternalServerException' || (status !== undefined && status >= 500))
    return new DirectoryError('transient', message, {
      ...details,
      retryAfterMs: retryAfterMs(sdk),
    });
  if (status === undefined) return new DirectoryError('transient', message, details); // network
  return new DirectoryError('rejected', message, details);
}

/** Identity Store models Retry-After as RetryAfterSeconds; SSO Admin leaves it in the header. */
function retryAfterMs(error: SdkError): number | undefined {
  const modelled = error.RetryAfterSeconds;
  if (typeof modelled === 'number' && modelled >= 0) return modelled * 1000;
  const header = error.$response?.headers?.['retry-after'];
  const seconds = header === undefined ? NaN : Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}
