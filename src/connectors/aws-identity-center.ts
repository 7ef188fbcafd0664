// AWS IAM Identity Center: configured by AWS_SSO_INSTANCE_ARN and AWS_IDENTITY_STORE_ID (with
// AWS_REGION); credentials come from the standard AWS chain (AWS_ACCESS_KEY_ID and
// AWS_SECRET_ACCESS_KEY when set, else a profile, web identity, or the container or instance role).
import { describeError, DirectoryError } from '../core/errors';
import type { Connectors } from '../core/paths/connectors';
import type { Logger } from '../core/ports';
import { AWS_IDENTITY_CENTER } from '../core/saas/aws-identity-center-port';
import { fail, ok, type CheckResult } from '../doctor/check-result';
import {
  AwsIdentityCenterDirectory,
  type AwsIdentityCenterSettings,
} from '../directory/aws-identity-center';
import { SandboxAwsIdentityCenter } from '../directory/sandbox/sandbox-aws-identity-center';
import type { SandboxTenant } from '../directory/sandbox';
import type { EnvReader } from '../env-reader';
import type { ConnectorSetup } from './connector-setup';

// Patterns from the SSO Admin and Identity Store API references (InstanceArn, IdentityStoreId).
const INSTANCE_ARN =
  /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b):sso:::instance\/(sso)?ins-[a-zA-Z0-9-.]{16}$/;
const IDENTITY_STORE_ID =
  /^(d-[0-9a-f]{10}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** A user name no identity store holds: the doctor's read-only probe of identitystore:GetUserId. */
const PROBE_USER = 'revoke-doctor-probe@invalid.example';

export const awsIdentityCenterSetup: ConnectorSetup<AwsIdentityCenterSettings> = {
  name: 'aws-identity-center',
  // Only the variables that name a real Identity Center: AWS_REGION and the credential variables
  // are the standard AWS ones a developer often has set for other tools, and reach nothing alone.
  variables: [
    'AWS_SSO_INSTANCE_ARN',
    'AWS_IDENTITY_STORE_ID',
    'AWS_SSO_ENDPOINT',
    'AWS_IDENTITYSTORE_ENDPOINT',
  ],

  read(read: EnvReader): AwsIdentityCenterSettings | undefined {
    const instanceArn = read.optional('AWS_SSO_INSTANCE_ARN');
    const identityStoreId = read.optional('AWS_IDENTITY_STORE_ID');
    if (instanceArn === undefined && identityStoreId === undefined) return undefined;
    const what =
      'the AWS IAM Identity Center connector needs both AWS_SSO_INSTANCE_ARN and AWS_IDENTITY_STORE_ID';
    if (instanceArn === undefined) read.problem(`AWS_SSO_INSTANCE_ARN is required: ${what}.`);
    else if (!INSTANCE_ARN.test(instanceArn))
      read.problem(
        `AWS_SSO_INSTANCE_ARN must be an instance ARN like arn:aws:sso:::instance/ssoins-0123456789abcdef (got "${instanceArn}").`,
      );
    if (identityStoreId === undefined) read.problem(`AWS_IDENTITY_STORE_ID is required: ${what}.`);
    else if (!IDENTITY_STORE_ID.test(identityStoreId))
      read.problem(
        `AWS_IDENTITY_STORE_ID must be an identity store id like d-0123456789 (got "${identityStoreId}").`,
      );
    const region = read.required('AWS_REGION', 'the region of the IAM Identity Center instance');
    if (region !== '' && !REGION.test(region))
      read.problem(`AWS_REGION must be a region like eu-west-1 (got "${region}").`);
    const endpoint = (name: string) =>
      read.optional(name) === undefined ? undefined : read.httpsUrl(name, '');
    const ssoEndpoint = endpoint('AWS_SSO_ENDPOINT');
    const identityStoreEndpoint = endpoint('AWS_IDENTITYSTORE_ENDPOINT');
    const accessKeyId = read.optional('AWS_ACCESS_KEY_ID');
    const secretAccessKey = read.optional('AWS_SECRET_ACCESS_KEY');
    const sessionToken = read.optional('AWS_SESSION_TOKEN');
    if ((accessKeyId === undefined) !== (secretAccessKey === undefined))
      read.problem(
        'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY go together: set both, or neither to use a profile or role.',
      );
    return {
      instanceArn: instanceArn ?? '',
      identityStoreId: identityStoreId ?? '',
      region,
      ...(ssoEndpoint ? { ssoEndpoint } : {}),
      ...(identityStoreEndpoint ? { identityStoreEndpoint } : {}),
      ...(accessKeyId && secretAccessKey
        ? { keys: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } }
        : {}),
    };
  },

  connect(settings: AwsIdentityCenterSettings, connectors: Connectors, logger: Logger): void {
    connectors.set(AWS_IDENTITY_CENTER, new AwsIdentityCenterDirectory(settings));
    logger.info('AWS IAM Identity Center connector configured', describeSettings(settings));
  },

  sandbox(connectors: Connectors, tenant: SandboxTenant): void {
    connectors.set(AWS_IDENTITY_CENTER, SandboxAwsIdentityCenter.seeded(tenant.people));
  },

  doctor: (settings) => checkAws(new AwsIdentityCenterDirectory(settings), settings),

  describe: describeSettings,
};

function describeSettings(settings: AwsIdentityCenterSettings): Record<string, string | boolean> {
  return {
    instanceArn: settings.instanceArn,
    identityStoreId: settings.identityStoreId,
    region: settings.region,
    credentials: settings.keys ? 'AWS_ACCESS_KEY_ID' : 'default AWS provider chain',
    customEndpoints: Boolean(settings.ssoEndpoint ?? settings.identityStoreEndpoint),
  };
}

/** Read-only: the instance, its permission sets, and an identity store look-up of a made-up name. */
export async function checkAws(
  aws: AwsIdentityCenterDirectory,
  settings: AwsIdentityCenterSettings,
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const name = 'AWS IAM Identity Center';
  try {
    const instance = await aws.describeInstance();
    if (instance.identityStoreId !== settings.identityStoreId)
      results.push(
        fail(
          `${name} instance`,
          `The instance's identity store is ${instance.identityStoreId}, not AWS_IDENTITY_STORE_ID (${settings.identityStoreId}).`,
          'Set AWS_IDENTITY_STORE_ID to the identity store of AWS_SSO_INSTANCE_ARN.',
        ),
      );
    else results.push(ok(`${name} instance`, `${instance.name} is ${instance.status}.`));
    const count = await aws.countPermissionSets();
    results.push(ok(`${name} permission sets`, `${count} permission sets can be listed.`));
  } catch (error) {
    results.push(failure(`${name} (sso)`, error));
  }
  try {
    await aws.findUser(PROBE_USER);
    results.push(ok(`${name} identity store`, 'Users can be looked up by userName.'));
  } catch (error) {
    results.push(failure(`${name} identity store`, error));
  }
  return results;
}

function failure(name: string, error: unknown): CheckResult {
  const advice = error instanceof DirectoryError ? error.advice : undefined;
  return fail(
    name,
    describeError(error),
    advice ?? 'Check AWS_REGION, the endpoints and the network path to AWS.',
  );
}
