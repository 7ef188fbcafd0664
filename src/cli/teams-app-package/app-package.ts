// Builds the Teams app package (manifest.json + the two icons, zipped at the top level) that an
// administrator uploads to Teams.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildManifest, type ManifestValues } from './build-manifest';
import { writeZip } from './zip';

export const MANIFEST_DIR = 'manifest';
export const PACKAGE_FILES = ['manifest.json', 'color.png', 'outline.png'] as const;

export interface AppPackage {
  manifest: Record<string, unknown>;
  zip: Buffer;
}

export function buildAppPackage(projectRoot: string, values: ManifestValues): AppPackage {
  const dir = join(projectRoot, MANIFEST_DIR);
  const manifest = buildManifest(readFileSync(join(dir, 'manifest.json'), 'utf8'), values);
  const zip = writeZip([
    { name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) },
    { name: 'color.png', data: readFileSync(join(dir, 'color.png')) },
    { name: 'outline.png', data: readFileSync(join(dir, 'outline.png')) },
  ]);
  return { manifest, zip };
}
