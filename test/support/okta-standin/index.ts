export { OktaStandin } from './server';
export { OrgState, type StandinOktaUser, type OktaStatus, type ServiceApp } from './org-state';
export type { OktaCall } from './call-log';
