// AUDIT_KEY, AUDIT_KEY_PREVIOUS and AUDIT_SINK as the configuration reads them.
import { strict as assert } from 'node:assert';
import { inspect } from 'node:util';
import { describeConfig, loadConfig } from '../../src/config';
import { CONFIG_ROOT, configRefusal, REAL_TENANT_ENV } from '../support/config-fixtures';
import { testAuditKeyText } from '../support/memory-audit-log';

describe('configuration: the audit key and sink', () => {
  it('a real tenant without AUDIT_KEY does not start', () => {
    const { AUDIT_KEY: _, ...withoutKey } = REAL_TENANT_ENV;
    const refusal = configRefusal(withoutKey);
    assert.match(refusal.message, /AUDIT_KEY is required with a real tenant/);
    assert.match(refusal.message, /openssl rand -base64 32/);
  });

  it('the sandbox starts without it (it uses a key file) and reports the sink', () => {
    const config = loadConfig({}, CONFIG_ROOT);
    assert.equal(config.audit.keyring, undefined);
    assert.deepEqual(config.audit.sink, { kind: 'stdout' });
  });

  it('refuses a short, malformed or patterned key without repeating it', () => {
    const bad = {
      short: 'c2hvcnQta2V5LXNob3J0LWtleQ==',
      malformed: 'not a key at all!',
      patterned: '00'.repeat(32),
    };
    for (const [what, value] of Object.entries(bad)) {
      const refusal = configRefusal({ ...REAL_TENANT_ENV, AUDIT_KEY: value });
      assert.match(refusal.message, /AUDIT_KEY must|AUDIT_KEY is not random/, what);
      assert.ok(!refusal.message.includes(value), `${what}: the value is not echoed`);
    }
  });

  it('accepts base64 or hex of 32 bytes, and previous keys for rotation', () => {
    const hex = Buffer.from(testAuditKeyText('hex'), 'base64').toString('hex');
    const config = loadConfig(
      { ...REAL_TENANT_ENV, AUDIT_KEY: hex, AUDIT_KEY_PREVIOUS: testAuditKeyText() },
      CONFIG_ROOT,
    );
    const ring = config.audit.keyring;
    assert.ok(ring);
    assert.equal(ring.byId(ring.current.id), ring.current);
    assert.equal(
      loadConfig(REAL_TENANT_ENV, CONFIG_ROOT).audit.keyring?.current.id,
      ring.toJSON().known[0],
    );
  });

  it('AUDIT_KEY_PREVIOUS must not repeat AUDIT_KEY, and needs it', () => {
    assert.match(
      configRefusal({ ...REAL_TENANT_ENV, AUDIT_KEY_PREVIOUS: testAuditKeyText() }).message,
      /must not repeat AUDIT_KEY/,
    );
    assert.match(
      configRefusal({ AUDIT_KEY_PREVIOUS: testAuditKeyText() }).message,
      /AUDIT_KEY_PREVIOUS is set without AUDIT_KEY/,
    );
  });

  it('the key never shows when the configuration is logged, dumped or inspected', () => {
    const config = loadConfig(REAL_TENANT_ENV, CONFIG_ROOT);
    const raw = Buffer.from(testAuditKeyText(), 'base64');
    const texts = [
      JSON.stringify(config),
      inspect(config, { depth: 10 }),
      JSON.stringify(describeConfig(config)),
    ];
    for (const text of texts) {
      assert.ok(!text.includes(testAuditKeyText()));
      assert.ok(!text.includes(raw.toString('hex')));
    }
    assert.equal(describeConfig(config)['auditKey'], config.audit.keyring?.current.id);
  });
});
