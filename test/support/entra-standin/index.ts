export { EntraStandin, startEntraStandin, type StandinOptions } from './server';
export type { StandinApp, StandinDevice, StandinGroup, StandinUser } from './state';
export { StandinState, graphTime } from './state';
export type { Fault, FaultSpec } from './faults';
export type { RecordedCall } from './call-log';
export { ensureTestCa, repoRoot, type TestCa } from './test-ca';
export { GRAPH_APP_ID } from './entra-routes';
export { GraphRateLimit, type RateLimitSpec } from './rate-limit';
export { GRAPH_WRITE_BUDGET, GraphWriteLimit, isWrite, type WriteLimitSpec } from './write-limit';
