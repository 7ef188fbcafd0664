// The app listens where the configuration says, and an unauthenticated real tenant never listens
// beyond loopback, even when start() is handed another address than the configured one.
import { strict as assert } from 'node:assert';
import { buildApp, type RevokeApp } from '../src/app';
import { loadConfig } from '../src/config';
import { projectRoot } from '../src/project-root';
import { captureLogger } from './support/capture-logger';
import { REAL_TENANT_ENV } from './support/config-fixtures';
import { accepts } from './support/listen-address';

describe('app: where it listens', () => {
  let app: RevokeApp | undefined;

  afterEach(async () => {
    await app?.stop();
    app = undefined;
  });

  const { MicrosoftAppId: _id, MicrosoftAppPassword: _pw, ...UNAUTHENTICATED } = REAL_TENANT_ENV;
  const unauthenticatedRealTenant = () =>
    loadConfig(
      {
        ...UNAUTHENTICATED,
        INSECURE_SKIP_BOT_AUTH: 'true',
        HOST: '127.0.0.1',
        DATABASE_URL: 'sqlite::memory:',
        // Nothing here may reach a real endpoint.
        AZURE_AUTHORITY_HOST: 'https://127.0.0.1:9',
        GRAPH_BASE_URL: 'https://127.0.0.1:9',
      },
      projectRoot(),
    );

  it('an unauthenticated real tenant listens on the configured loopback address', async () => {
    app = await buildApp(unauthenticatedRealTenant(), { logger: captureLogger() });
    const url = new URL(await app.start(0));
    assert.equal(url.hostname, '127.0.0.1');
  });

  it('and refuses to listen anywhere else, closing what it opened', async () => {
    app = await buildApp(unauthenticatedRealTenant(), { logger: captureLogger() });
    await assert.rejects(
      app.start(0, '0.0.0.0'),
      /INSECURE_SKIP_BOT_AUTH=true with a real tenant, but the bot listens on 0\.0\.0\.0, not loopback: stopped\./,
    );
    assert.equal(app.server.server.listening, false);
  });

  it('the sandbox listens on 127.0.0.1 unless told otherwise', async () => {
    app = await buildApp(loadConfig({ DATABASE_URL: 'sqlite::memory:' }, projectRoot()), {
      logger: captureLogger(),
    });
    const url = new URL(await app.start(0));
    assert.equal(url.hostname, '127.0.0.1');
    assert.ok(await accepts('127.0.0.1', Number(url.port)));
  });
});
