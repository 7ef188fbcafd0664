// How the AWS IAM Identity Center adapter is configured (read from the environment by
// src/connectors/aws-identity-center.ts).

export interface AwsKeys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface AwsIdentityCenterSettings {
  /** d-xxxxxxxxxx: the identity store the users and groups live in. */
  identityStoreId: string;
  /** arn:aws:sso:::instance/ssoins-…: the instance whose permission sets Revoke edits. */
  instanceArn: string;
  region: string;
  /** Overrides of the service endpoints (a VPC endpoint, or a test stand-in). */
  ssoEndpoint?: string;
  identityStoreEndpoint?: string;
  /**
   * Keys given in Revoke's own environment; without them the SDK's default provider chain finds
   * credentials (profile, web identity, container or instance role).
   */
  keys?: AwsKeys;
}
