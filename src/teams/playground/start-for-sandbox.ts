// What `npm start` does with the playground in sandbox mode: start it unless PLAYGROUND=off, say
// where to open it, and keep going without it if it cannot start (the bot still works).
import type { SandboxConfig } from '../../config';
import type { Logger } from '../../core/ports';
import type { SandboxTenant } from '../../directory/sandbox';
import { PlaygroundUnavailable, type RunningPlayground } from './playground-process';
import { startSandboxPlayground } from './sandbox-playground';

export async function playgroundForSandbox(
  sandbox: SandboxTenant,
  options: {
    botPort: number;
    approverGroupId: string;
    settings: SandboxConfig['playground'];
    logger: Logger;
  },
): Promise<RunningPlayground | undefined> {
  const { settings, logger } = options;
  if (!settings.enabled) return undefined;
  try {
    const playground = await startSandboxPlayground(sandbox, {
      botEndpoint: `http://127.0.0.1:${options.botPort}/api/messages`,
      approverGroupId: options.approverGroupId,
      port: settings.port,
      currentUserUpn: settings.userUpn,
      onOutput: (line) => logger.debug('playground', { line }),
    });
    logger.info('Agents Playground is running', { url: playground.url, pid: playground.pid });
    process.stdout.write(
      [
        '',
        `  Open ${playground.url} in a browser: a Teams-like client talking to Revoke (sandbox).`,
        '  In the "Incidents" channel, post: @Revoke user alice.johnson@contoso.com Phished',
        '  Then open "Sandbox: act as…" on the card and approve as two approvers.',
        '',
      ].join('\n'),
    );
    return playground;
  } catch (error) {
    if (!(error instanceof PlaygroundUnavailable)) throw error;
    logger.warn(`Agents Playground not started: ${error.message}`);
    return undefined;
  }
}
