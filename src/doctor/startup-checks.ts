// The doctor's directory checks, run once in the background after the bot has started: a missing
// consent or a lost delegation shows up in the log at deploy time, not during an emergency. It
// never blocks or stops the start. The sandbox has no real directory to check unless AD is set.
import type { Config } from '../config';
import type { Logger } from '../core/ports';
import { runChecks } from './run-doctor';

export async function runStartupChecks(
  config: Config,
  projectRoot: string,
  logger: Logger,
): Promise<void> {
  if (!config.startupChecks) return;
  if (config.directory.mode === 'sandbox' && !config.ldap) return;
  try {
    const results = await runChecks(config, projectRoot, 'startup');
    const problems = results.filter((r) => r.status !== 'ok');
    for (const r of problems) {
      const fields = { check: r.name, detail: r.detail, ...(r.fix ? { fix: r.fix } : {}) };
      logger.warn(`set-up check ${r.status === 'fail' ? 'failed' : 'warning'}: ${r.name}`, fields);
    }
    logger.info('set-up checks done', {
      checks: results.length,
      failed: results.filter((r) => r.status === 'fail').length,
      hint: problems.length > 0 ? 'run `npx revoke doctor` for the full report' : undefined,
    });
  } catch (error) {
    logger.warn('set-up checks could not run', {
      message: error instanceof Error ? error.message : String(error),
    });
  }
}
