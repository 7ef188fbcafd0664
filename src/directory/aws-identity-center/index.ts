export {
  AwsIdentityCenterDirectory,
  type AwsAdapterOptions,
} from './aws-identity-center-directory';
export type { AwsIdentityCenterSettings, AwsKeys } from './aws-settings';
export { IAM_ACTIONS, toDirectoryError } from './aws-errors';
