// HOST, the address /api/messages listens on: loopback for the sandbox unless asked otherwise,
// every interface for a real tenant unless asked otherwise, and never an unauthenticated real
// tenant on anything but loopback.
import { strict as assert } from 'node:assert';
import { isLoopbackHost, loadConfig } from '../src/config';
import {
  CONFIG_ROOT as ROOT,
  configRefusal,
  REAL_TENANT_ENV as REAL_TENANT,
} from './support/config-fixtures';

const problems = (env: NodeJS.ProcessEnv): string[] => configRefusal(env).problems;

const { MicrosoftAppId: _id, MicrosoftAppPassword: _password, ...UNAUTHENTICATED } = REAL_TENANT;
const SKIP_AUTH = { ...UNAUTHENTICATED, INSECURE_SKIP_BOT_AUTH: 'true' };

describe('configuration: HOST', () => {
  it('the sandbox listens on 127.0.0.1 by default, elsewhere only when HOST says so', () => {
    assert.equal(loadConfig({}, ROOT).host, '127.0.0.1');
    assert.equal(loadConfig({ HOST: '0.0.0.0' }, ROOT).host, '0.0.0.0');
  });

  it('a real tenant listens on every interface by default (hosting platforms route to it)', () => {
    assert.equal(loadConfig(REAL_TENANT, ROOT).host, undefined);
    assert.equal(loadConfig({ ...REAL_TENANT, HOST: '10.0.0.4' }, ROOT).host, '10.0.0.4');
  });

  it('refuses a HOST that is neither an address nor a host name', () => {
    assert.deepEqual(problems({ HOST: 'http://0.0.0.0' }), [
      'HOST must be an IP address or a host name (got "http://0.0.0.0").',
    ]);
  });

  describe('INSECURE_SKIP_BOT_AUTH=true with a real tenant', () => {
    it('is refused on every interface and on any other address', () => {
      assert.deepEqual(problems(SKIP_AUTH), [
        'INSECURE_SKIP_BOT_AUTH=true with a real tenant needs HOST=127.0.0.1 (or ::1, localhost), got HOST unset (every interface): anyone who can reach an unauthenticated /api/messages can forge approvals.',
      ]);
      for (const host of ['0.0.0.0', '::', '10.0.0.4', 'revoke.contoso.com']) {
        const found = problems({ ...SKIP_AUTH, HOST: host });
        assert.equal(found.length, 1, host);
        assert.match(found[0] ?? '', new RegExp(`got HOST=${host.replace(/\./g, '\\.')}:`));
      }
    });

    it('is allowed on loopback, for local testing', () => {
      for (const host of ['127.0.0.1', '::1', 'localhost', '127.0.0.2']) {
        const config = loadConfig({ ...SKIP_AUTH, HOST: host }, ROOT);
        assert.equal(config.bot.skipAuth, true, host);
      }
    });

    it('changes nothing for the sandbox, which never authenticates', () => {
      assert.equal(loadConfig({ INSECURE_SKIP_BOT_AUTH: 'true' }, ROOT).host, '127.0.0.1');
    });
  });

  it('knows which addresses only this machine can reach', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', 'localhost', 'LOCALHOST']) {
      assert.ok(isLoopbackHost(host), host);
    }
    for (const host of ['0.0.0.0', '::', '192.0.2.2', '127.example.com', 'localhost.evil.test']) {
      assert.ok(!isLoopbackHost(host), host);
    }
  });
});
