// Builds the Teams app package (manifest.json + the two icons, zipped at the top level) that an
// administrator uploads to Teams. The icons are the committed PNGs under manifest/.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { buildManifest, type ManifestValues } from './build-manifest';

export const MANIFEST_DIR = 'manifest';
export const PACKAGE_FILES = ['manifest.json', 'color.png', 'outline.png'] as const;

export interface AppPackage {
  manifest: Record<string, unknown>;
  zip: Buffer;
}

export function buildAppPackage(
  projectRoot: string,
  values: ManifestValues,
  extraDomains: readonly string[] = [],
): AppPackage {
  const dir = join(projectRoot, MANIFEST_DIR);
  const manifest = buildManifest(
    readFileSync(join(dir, 'manifest.json'), 'utf8'),
    values,
    extraDomains,
  );
  // Teams' upload wants the files at the top level of the archive: no folders. A fixed time
  // (the zip format's earliest, 1980-01-01) makes the same inputs give the same bytes.
  const zip = zipSync(
    {
      'manifest.json': Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`),
      'color.png': readFileSync(join(dir, 'color.png')),
      'outline.png': readFileSync(join(dir, 'outline.png')),
    },
    { level: 9, mtime: new Date(1980, 0, 1) },
  );
  return { manifest, zip: Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength) };
}
