// The Teams app package: the bot id in manifest/manifest.json must be the bot Revoke runs as, or
// Teams sends the messages to another bot. A template (${{BOT_ID}}) is filled in at packaging.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fail, ok, warn, type CheckResult } from '../check-result';

const NAME = 'Teams app manifest';

export function checkManifest(
  projectRoot: string,
  botAppId: string | undefined,
): CheckResult | undefined {
  const path = join(projectRoot, 'manifest', 'manifest.json');
  if (!existsSync(path)) return undefined;
  let botIds: string[];
  try {
    const manifest = JSON.parse(readFileSync(path, 'utf8')) as { bots?: { botId?: unknown }[] };
    botIds = (manifest.bots ?? []).map((b) => (typeof b.botId === 'string' ? b.botId : ''));
  } catch (error) {
    return fail(
      NAME,
      `${path} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
      'Fix the manifest file.',
    );
  }
  if (botIds.length === 0)
    return fail(NAME, 'declares no bot', 'Add a bots entry with botId = MicrosoftAppId.');
  const botId = botIds[0] ?? '';
  if (/\$\{\{\s*\w+\s*\}\}/.test(botId)) {
    return warn(
      NAME,
      `bot id is the template ${botId}; it is filled in when the app package is built`,
    );
  }
  if (!botAppId) {
    return warn(
      NAME,
      `declares bot ${botId} but MicrosoftAppId is not set`,
      'Set MicrosoftAppId to that id.',
    );
  }
  if (botId.toLowerCase() !== botAppId.toLowerCase()) {
    return fail(
      NAME,
      `declares bot ${botId}, but MicrosoftAppId is ${botAppId}`,
      'Rebuild the Teams app package with the bot id of this deployment, or fix MicrosoftAppId.',
    );
  }
  return ok(NAME, `bot id matches MicrosoftAppId`);
}
