// `npm start` in sandbox mode, as a newcomer runs it (`node dist/src/index.js`, the Playground
// on): the bot and the Playground accept connections on loopback and on no other address of this
// machine. With HOST set to every interface, the sandbox is reachable and says so in a warning.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BotProcess, freePort } from '../../support/bot-process';
import { accepts, listeningAddresses, nonLoopbackAddress } from '../../support/listen-address';
import { playgroundCli } from '../../../src/dev/playground/playground-process';

describe('sandbox mode listens on loopback only', function () {
  this.timeout(60_000);
  let dir: string;
  let bot: BotProcess | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'revoke-loopback-'));
  });

  afterEach(async () => {
    await bot?.kill('SIGTERM');
    bot = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  const env = (extra: Record<string, string>): Record<string, string> => ({
    DATABASE_URL: `sqlite:${join(dir, 'revoke.db')}`,
    STARTUP_CHECKS: 'false',
    ...extra,
  });

  /** Reachable on loopback; not from this machine's network address, nor bound to any other. */
  async function assertLoopbackOnly(port: number, what: string): Promise<void> {
    assert.ok(await accepts('127.0.0.1', port), `${what} answers on 127.0.0.1`);
    const outside = nonLoopbackAddress();
    if (outside) assert.equal(await accepts(outside, port), false, `${what} on ${outside}`);
    const bound = listeningAddresses(port);
    assert.deepEqual(bound, ['127.0.0.1'], `${what} listens on ${bound.join(', ')}`);
  }

  it('the bot and the Agents Playground', async function () {
    if (!playgroundCli()) this.skip(); // a devDependency: absent from production installs
    const [botPort, playgroundPort] = [await freePort(), await freePort()];
    bot = await BotProcess.start(
      env({ PLAYGROUND: 'on', PLAYGROUND_PORT: String(playgroundPort) }),
      botPort,
    );
    await bot.waitForLog(/Agents Playground is running/, 30_000);
    await assertLoopbackOnly(botPort, 'the bot');
    await assertLoopbackOnly(playgroundPort, 'the Playground');
  });

  it('elsewhere only with an explicit HOST, and with a warning', async () => {
    const port = await freePort();
    bot = await BotProcess.start(env({ PLAYGROUND: 'off', HOST: '0.0.0.0' }), port);
    assert.match(
      await bot.waitForLog(/HOST=0\.0\.0\.0/),
      /"level":"warn".*reachable from the network/,
    );
    const outside = nonLoopbackAddress();
    if (outside) assert.ok(await accepts(outside, port), `reachable on ${outside}`);
    assert.deepEqual(listeningAddresses(port), ['0.0.0.0']);
  });
});
