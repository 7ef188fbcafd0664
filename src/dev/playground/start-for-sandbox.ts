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
    /** Where the bot listens, as app.start() returned it. */
    botUrl: string;
    approverGroupId: string;
    settings: SandboxConfig['playground'];
    logger: Logger;
  },
): Promise<RunningPlayground | undefined> {
  const { settings, logger } = options;
  if (!settings.enabled) return undefined;
  try {
    const playground = await startSandboxPlayground(sandbox, {
      botEndpoint: `${reachableFromHere(options.botUrl)}/api/messages`,
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

/** A bot listening on every interface (HOST=0.0.0.0 or ::) is reached here through loopback. */
function reachableFromHere(botUrl: string): string {
  const url = new URL(botUrl);
  if (url.hostname === '0.0.0.0' || url.hostname === '[::]') url.hostname = '127.0.0.1';
  return url.origin;
}
