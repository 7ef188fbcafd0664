// What the core reports to when nobody collects metrics (tests, tools).
import type { Metrics } from './ports';

export const NOOP_METRICS: Metrics = {
  requestTransition: () => undefined,
  approvalTime: () => undefined,
  firstApprovalTime: () => undefined,
  outreach: () => undefined,
  runFinished: () => undefined,
  stepFinished: () => undefined,
  retried: () => undefined,
  cardUpdateFailed: () => undefined,
};
