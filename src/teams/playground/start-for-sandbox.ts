// What `npm start` does with the playground in sandbox mode: start it unless PLAYGROUND=off, say
// where to open it, and keep going without it if it cannot start (the bot still works).
import type { Logger } from '../../core/ports';
import type { SandboxTenant } from '../../directory/sandbox';
import {
  DEFAULT_PLAYGROUND_PORT,
  PlaygroundUnavailable,
  type RunningPlayground,
} from './playground-process';
import { startSandboxPlayground } from './sandbox-playground';

export async function playgroundForSandbox(
  sandbox: SandboxTenant,
  options: { botPort: number; approverGroupId: string; env: NodeJS.ProcessEnv; logger: Logger },
): Promise<RunningPlayground | undefined> {
  const { env, logger } = options;
  if (env.PLAYGROUND?.trim().toLowerCase() === 'off') return undefined;
  const port = Number(env.PLAYGROUND_PORT ?? DEFAULT_PLAYGROUND_PORT);
  try {
    const playground = await startSandboxPlayground(sandbox, {
      botEndpoint: `http://127.0.0.1:${options.botPort}/api/messages`,
      approverGroupId: options.approverGroupId,
      port: Number.isInteger(port) && port > 0 && port < 65_536 ? port : DEFAULT_PLAYGROUND_PORT,
      currentUserUpn: env.PLAYGROUND_USER,
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
