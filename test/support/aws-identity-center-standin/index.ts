export { AwsIdentityCenterStandin, type AwsCall, type AwsFault } from './server';
export { AwsIdentityCenterState } from './state';
export { parseAuthorization, verifySignature } from './sigv4';
