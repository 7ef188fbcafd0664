// The Teams app package: the manifest validates against Microsoft's published JSON schema
// (offline, from @microsoft/app-manifest), the icons have the sizes and transparency Teams
// requires, and the zip holds exactly the three files at its top level.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { PNG } from 'pngjs';
import { projectRoot } from '../../src/project-root';
import { buildAppPackage, PACKAGE_FILES } from '../../src/cli/teams-app-package/app-package';
import {
  ManifestError,
  manifestValues,
  signInDomains,
} from '../../src/cli/teams-app-package/build-manifest';

const BOT_ID = '5b3c9f2e-8d41-4c7a-9e0b-1f2a3b4c5d6e';
const APP_ID = 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d';

function schemaFor(version: string): Record<string, unknown> {
  const path = require.resolve(
    `@microsoft/app-manifest/build/json-schemas/teams/v${version}/MicrosoftTeams.schema.json`,
  );
  const schema = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  // The file says draft-04 but uses `const` (draft-06+); ajv's draft-07 reads it as intended.
  delete schema.$schema;
  return schema;
}

/** Reads a zip's central directory and inflates each entry, checking its CRC. */
function readZip(zip: Buffer): Map<string, Buffer> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(end >= 0, 'end of central directory');
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    assert.equal(zip.readUInt32LE(offset), 0x02014b50, 'central directory entry');
    const method = zip.readUInt16LE(offset + 10);
    const crc = zip.readUInt32LE(offset + 16);
    const size = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const local = zip.readUInt32LE(offset + 42);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    assert.equal(zip.readUInt32LE(local), 0x04034b50, 'local header');
    const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(dataStart, dataStart + size);
    const data = method === 8 ? inflateRawSync(raw) : raw;
    assert.equal(crc32(data), crc, `CRC of ${name}`);
    files.set(name, data);
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return files;
}

describe('the Teams app package', () => {
  const values = manifestValues(
    { MicrosoftAppId: BOT_ID, TEAMS_APP_ID: APP_ID, BOT_DOMAIN: 'revoke.contoso.com' },
    '0.1.0',
  );
  const built = buildAppPackage(projectRoot(), values);

  it('validates against the Teams manifest schema of the version it declares', () => {
    const version = String(built.manifest.manifestVersion);
    assert.ok(Number(version.split('.')[1]) >= 19, `manifest ${version} is current`);
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(schemaFor(version));
    assert.ok(validate(built.manifest), JSON.stringify(validate.errors, null, 2));
  });

  it('declares the bot in team, group chat and personal scopes with the ids from the environment and command hints', () => {
    const manifest = built.manifest as {
      id: string;
      bots: {
        botId: string;
        scopes: string[];
        commandLists: { commands: { title: string; description: string }[] }[];
      }[];
      validDomains: string[];
    };
    assert.equal(manifest.id, APP_ID);
    const bot = manifest.bots[0];
    assert.equal(bot?.botId, BOT_ID);
    assert.deepEqual([...(bot?.scopes ?? [])].sort(), ['groupChat', 'personal', 'team']);
    const commands = bot?.commandLists.flatMap((l) => l.commands) ?? [];
    assert.deepEqual(
      commands.map((c) => c.title),
      ['user', 'status', 'help'],
    );
    assert.ok(commands.every((c) => c.description.length > 0));
    assert.deepEqual(manifest.validDomains, ['revoke.contoso.com']);
  });

  it('zips exactly manifest.json and the two icons at the top level', () => {
    const files = readZip(built.zip);
    assert.deepEqual([...files.keys()].sort(), [...PACKAGE_FILES].sort());
    assert.deepEqual(JSON.parse(String(files.get('manifest.json'))), built.manifest);
    const color = PNG.sync.read(files.get('color.png') as Buffer);
    assert.deepEqual([color.width, color.height], [192, 192]);
    const outline = PNG.sync.read(files.get('outline.png') as Buffer);
    // Colour type 6: RGBA, the transparency Teams requires of the outline icon.
    assert.deepEqual([outline.width, outline.height, outline.colorType], [32, 32, 6]);
    // White on transparency only: every pixel is white, and the corners are fully transparent.
    for (let i = 0; i < outline.data.length; i += 4) {
      const [r, g, b] = [outline.data[i], outline.data[i + 1], outline.data[i + 2]];
      assert.ok(r === 255 && g === 255 && b === 255, `pixel ${i / 4} is white`);
    }
    assert.equal(outline.data[3], 0, 'top-left corner is transparent');
  });

  it('refuses to build without a valid bot id, and uses the bot id as app id when none is given', () => {
    assert.throws(() => manifestValues({}, '0.1.0'), ManifestError);
    assert.throws(
      () => manifestValues({ MicrosoftAppId: BOT_ID, BOT_DOMAIN: 'not a domain' }, '0.1.0'),
      ManifestError,
    );
    const defaults = manifestValues({ MicrosoftAppId: BOT_ID }, '0.1.0');
    assert.equal(defaults.TEAMS_APP_ID, BOT_ID);
    const manifest = buildAppPackage(projectRoot(), defaults).manifest;
    assert.deepEqual(manifest.validDomains, [], 'no empty domain in validDomains');
  });

  it('lets the step-up sign-in reach the Bot Framework token service when step-up MFA is required', () => {
    const values = manifestValues(
      { MicrosoftAppId: BOT_ID, BOT_DOMAIN: 'revoke.contoso.com' },
      '0.1.0',
    );
    const off = buildAppPackage(projectRoot(), values, signInDomains({})).manifest;
    assert.deepEqual(off.validDomains, ['revoke.contoso.com']);
    const required = buildAppPackage(
      projectRoot(),
      values,
      signInDomains({ APPROVAL_STEP_UP: 'required' }),
    ).manifest;
    assert.deepEqual(required.validDomains, ['revoke.contoso.com', 'token.botframework.com']);
  });

  it('uses the committed template and icons', () => {
    const template = readFileSync(join(projectRoot(), 'manifest', 'manifest.json'), 'utf8');
    assert.match(template, /\$\{\{BOT_ID\}\}/);
  });
});
