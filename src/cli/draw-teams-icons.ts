// Redraws manifest/color.png and manifest/outline.png. The PNGs are committed; run this only when
// the drawing in src/cli/teams-app-package/icons.ts changes: node dist/src/cli/draw-teams-icons.js
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../project-root';
import { colorIcon, outlineIcon } from './teams-app-package/icons';
import { encodePng } from './teams-app-package/png';

const dir = join(projectRoot(), 'manifest');
writeFileSync(join(dir, 'color.png'), encodePng(colorIcon()));
writeFileSync(join(dir, 'outline.png'), encodePng(outlineIcon()));
console.log(`Wrote color.png and outline.png in ${dir}`);
