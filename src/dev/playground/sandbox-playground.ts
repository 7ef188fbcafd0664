// `npm start` in sandbox mode: the playground, configured with the sandbox's people, so a newcomer
// can try the whole two-person approval from a browser.
import type { SandboxTenant } from '../../directory/sandbox';
import { playgroundConfig } from './playground-config';
import { startPlayground, type RunningPlayground } from './playground-process';

export interface SandboxPlaygroundOptions {
  botEndpoint: string;
  port?: number;
  approverGroupId: string;
  /** UPN of the person the browser acts as; by default the first person who is not an approver. */
  currentUserUpn?: string;
  onOutput?: (line: string) => void;
}

export async function startSandboxPlayground(
  sandbox: SandboxTenant,
  options: SandboxPlaygroundOptions,
): Promise<RunningPlayground> {
  const approverIds: string[] = [];
  for (const person of sandbox.people) {
    const groups = await sandbox.directory.memberGroups(person.id, [options.approverGroupId]);
    if (groups.length > 0) approverIds.push(person.id);
  }
  const wanted = options.currentUserUpn?.toLowerCase();
  const current = wanted
    ? sandbox.people.find((p) => p.upn?.toLowerCase() === wanted)
    : sandbox.people.find((p) => p.channelAccountId && !approverIds.includes(p.id));
  if (wanted && !current)
    throw new Error(`PLAYGROUND_USER ${wanted} is not in the sandbox tenant.`);
  const config = playgroundConfig(
    { tenantId: sandbox.tenantId, people: sandbox.people },
    { currentUserId: current?.id, preferredIds: approverIds },
  );
  return startPlayground({
    botEndpoint: options.botEndpoint,
    config,
    port: options.port,
    onOutput: options.onOutput,
  });
}
