// `npm run package`: writes dist/revoke-teams-app.zip for this deployment's bot and app ids
// (MicrosoftAppId, TEAMS_APP_ID, BOT_DOMAIN from the environment).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../project-root';
import { buildAppPackage } from './teams-app-package/app-package';
import { ManifestError, manifestValues, signInDomains } from './teams-app-package/build-manifest';

function main(): void {
  const root = projectRoot();
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    version: string;
  };
  const values = manifestValues(process.env, version);
  const { zip } = buildAppPackage(root, values, signInDomains(process.env));
  mkdirSync(join(root, 'dist'), { recursive: true });
  const out = join(root, 'dist', 'revoke-teams-app.zip');
  writeFileSync(out, zip);
  console.log(
    `Wrote ${out} (app ${values.TEAMS_APP_ID}, bot ${values.BOT_ID}). Upload it in Teams: Apps › Manage your apps › Upload an app.`,
  );
}

try {
  main();
} catch (error) {
  if (error instanceof ManifestError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}
