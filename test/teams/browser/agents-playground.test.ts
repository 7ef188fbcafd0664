// The newcomer's path, in a real Teams-like client: the bot (sandbox tenant, SQLite file), the
// Microsoft 365 Agents Playground configured as `npm start` configures it, and headless Chromium
// clicking through it. Proves the card renders, the requester cannot approve, two approvals given
// through the sandbox's "act as" run the revocation, and the card updates in place to Completed.
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { buildApp, type RevokeApp } from '../../../src/app';
import { loadConfig } from '../../../src/config';
import { projectRoot } from '../../../src/project-root';
import { startSandboxPlayground } from '../../../src/dev/playground/sandbox-playground';
import type { RunningPlayground } from '../../../src/dev/playground/playground-process';
import { PLAYGROUND_TEAM } from '../../../src/dev/playground/playground-config';
import { captureLogger, type LogLine } from '../../support/capture-logger';

const SCREENSHOTS = join(projectRoot(), '.tmp', 'screenshots');

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const STEP_MS = 10_000;
/** How much of each log a failed test prints: enough to see the last exchanges. */
const FAILURE_LOG_LINES = 40;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** PIDs of the Chromium processes using this profile: what to kill if closing hangs. */
function chromiumPids(userDataDir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.includes(userDataDir)) pids.push(Number(entry));
    } catch {
      // Gone already.
    }
  }
  return pids;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  return Promise.race([
    promise,
    new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), ms).unref()),
  ]);
}

describe('the newcomer path in the Agents Playground, in headless Chromium', function () {
  this.timeout(60_000);
  let app: RevokeApp | undefined;
  let playground: RunningPlayground | undefined;
  let context: BrowserContext | undefined;
  let workDir = '';
  let userDataDir = '';
  const botLog: LogLine[] = [];
  const playgroundOutput: string[] = [];
  /** The page the running test uses: closed after it, shown and explained if it failed. */
  let page: Page | undefined;

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      // scripts/install-system-deps.sh installs it; say why the test did not run.
      console.warn(`skipped: ${CHROMIUM} is missing (run scripts/install-system-deps.sh as root)`);
      this.skip();
    }
    workDir = mkdtempSync(join(tmpdir(), 'revoke-e2e-'));
    userDataDir = join(workDir, 'chromium-profile');
    const config = loadConfig(
      {
        DATABASE_URL: `sqlite:${join(workDir, 'revoke.db')}`,
        // Slow enough to see steps run in the card, fast enough for the test.
        SANDBOX_LATENCY_MS: '150',
      },
      projectRoot(),
    );
    app = await buildApp(config, { logger: captureLogger(botLog) });
    const botUrl = await app.start(0, '127.0.0.1');
    const sandbox = app.sandbox;
    assert.ok(sandbox);
    playground = await startSandboxPlayground(sandbox, {
      botEndpoint: `${botUrl}/api/messages`,
      approverGroupId: sandbox.approverGroupId,
      port: await freePort(),
      onOutput: (line) => playgroundOutput.push(line),
    });
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
      headless: true,
      viewport: { width: 1280, height: 1500 },
      timeout: STEP_MS,
    });
  });

  // A failure in a browser is a timeout that says only what did not appear; what the bot and the
  // playground said, and what the page showed, say why. It goes into the failure's own message,
  // which the summary at the end of the run prints.
  afterEach(async function () {
    const test = this.currentTest;
    if (test?.state === 'failed' && test.err)
      addToError(test.err, await explainFailure(test.title));
    await page?.close().catch(() => undefined);
    page = undefined;
  });

  async function explainFailure(title: string): Promise<string> {
    const report: string[] = ['What was happening:'];
    if (page) {
      const file = join(
        SCREENSHOTS,
        `failure-${title.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}.png`,
      );
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: file }).then(
        () => report.push(`the page: ${file}`),
        (error: Error) => report.push(`no screenshot: ${error.message}`),
      );
      const shown = await page
        .locator('body')
        .innerText({ timeout: 2_000 })
        .catch(() => '');
      report.push('the end of what the page shows:', indent(shown.slice(-1_500).split('\n')));
    }
    report.push(
      'the bot logged:',
      indent(
        botLog
          .slice(-FAILURE_LOG_LINES)
          .map((l) => `${l.level} ${l.message} ${JSON.stringify(l.fields)}`),
      ),
    );
    const playgroundLog = join(playground?.workDir ?? '', 'devTools', 'm365agentsplayground.log');
    const logged = existsSync(playgroundLog)
      ? readFileSync(playgroundLog, 'utf8').split('\n')
      : playgroundOutput;
    report.push('the playground logged:', indent(logged.slice(-FAILURE_LOG_LINES)));
    return report.join('\n');
  }

  /** Mocha prints a failure's stack: the report goes after its message, before its frames. */
  function addToError(error: Error, report: string): void {
    error.message += `\n${report}`;
    const stack = error.stack ?? '';
    const frames = stack.search(/\n\s+at\s/);
    error.stack =
      frames < 0
        ? `${stack}\n${report}`
        : `${stack.slice(0, frames)}\n${report}${stack.slice(frames)}`;
  }

  function indent(lines: readonly string[]): string {
    return lines
      .filter((line) => line.trim() !== '')
      .map((line) => `  ${line.slice(0, 400)}`)
      .join('\n');
  }

  after(async () => {
    if (context) {
      if ((await withTimeout(context.close(), 5_000)) === 'timeout') {
        for (const pid of chromiumPids(userDataDir)) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // Already gone.
          }
        }
      }
    }
    await playground?.stop();
    await app?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  /** Clicks a card button and returns the bot's answer to that invoke. */
  // The README shows these (scripts/update-screenshots.sh copies them to docs/screenshots/).
  async function snap(card: Locator, name: string): Promise<void> {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await card.scrollIntoViewIfNeeded();
    await card.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
  }

  async function click(page: Page, button: Locator): Promise<{ type?: string; value?: unknown }> {
    const answer = page.waitForResponse((r) => r.url().includes('/invoke'), { timeout: STEP_MS });
    await button.click({ timeout: STEP_MS });
    const response = await answer;
    const body = (await response.json()) as { type?: string; value?: unknown; body?: unknown };
    // The playground wraps the bot's invoke response in its own; accept either shape.
    return (body.body ?? body) as { type?: string; value?: unknown };
  }

  async function actAs(page: Page, card: Locator, name: string) {
    const button = card.getByRole('button', { name: `Approve as ${name}` });
    if (!(await button.isVisible())) {
      await card.getByRole('button', { name: 'Sandbox: act as…' }).click({ timeout: STEP_MS });
    }
    return click(page, button);
  }

  it('asks, refuses the requester, takes two approvals and shows the run to Completed', async () => {
    assert.ok(context && playground);
    const started = Date.now();
    page = await context.newPage();
    page.setDefaultTimeout(STEP_MS);
    await page.goto(playground.url, { waitUntil: 'domcontentloaded' });

    await page.getByRole('treeitem', { name: new RegExp(PLAYGROUND_TEAM.channel) }).click();
    const box = page.getByRole('textbox').first();
    await box.click();
    await box.pressSequentially('@Rev');
    await page.getByRole('menuitem', { name: 'Revoke' }).click();
    await box.pressSequentially(' user alice.johnson@contoso.com Phished');
    await page.getByRole('button', { name: 'Post' }).click();

    const card = page
      .locator('.ac-adaptiveCard', { hasText: 'Revoke access: Alice Johnson' })
      .first();
    await card.waitFor();
    await card.getByText('Pending approval').waitFor();
    await page.getByText('Priya Patel, Marcus Chen, Jordan Lee: Sam Rivera asks').first().waitFor();

    // The browser is Sam, who asked: his own Approve is refused and changes nothing.
    const own = await click(page, card.getByRole('button', { name: 'Approve', exact: true }));
    assert.match(JSON.stringify(own), /cannot approve/);
    await card.getByText('Approvals: 0 of 2').waitFor();
    await snap(card, '1-pending');

    await actAs(page, card, 'Priya Patel');
    await card.getByText(/Approvals: 1 of 2/).waitFor();
    await snap(card, '2-one-approval');
    await actAs(page, card, 'Marcus Chen');

    // The card is updated in place as the steps run, until the final state.
    let sawRunning = false;
    const deadline = Date.now() + 30_000;
    for (;;) {
      const text = await card.innerText({ timeout: STEP_MS });
      if (/running/i.test(text) && !sawRunning) {
        sawRunning = true;
        await snap(card, '3-running');
      }
      // The runbook's steps and every connector's demo stand-in; some of those (an Okta or Google
      // sign-out) can only be accepted, not read back.
      if (/All \d+ steps (finished|succeeded)/.test(text)) break;
      assert.ok(Date.now() < deadline, `the card did not reach Completed: ${text}`);
      await page.waitForTimeout(100);
    }
    assert.ok(sawRunning, 'the card showed the run in progress');
    await card.getByText('Completed — not all verified', { exact: true }).waitFor();
    assert.equal(await card.getByRole('button', { name: 'Approve', exact: true }).count(), 0);

    await snap(card, '4-completed');
    await page.screenshot({ path: join(SCREENSHOTS, 'playground-window.png') });

    const alice = await app?.sandbox?.directory.getUser('a17201cf-0dfb-4500-802b-04577183531d');
    assert.equal(alice?.accountEnabled, false, 'the sandbox directory really changed');
    console.log(`      (browser flow took ${Date.now() - started} ms)`);
  });

  it('shows `help` as a card, one command per line, `<reason>` as typed', async () => {
    assert.ok(context && playground);
    page = await context.newPage();
    page.setDefaultTimeout(STEP_MS);
    await page.goto(playground.url, { waitUntil: 'domcontentloaded' });
    await page.getByRole('treeitem', { name: new RegExp(PLAYGROUND_TEAM.channel) }).click();
    const box = page.getByRole('textbox').first();
    await box.click();
    await box.pressSequentially('@Rev');
    await page.getByRole('menuitem', { name: 'Revoke' }).click();
    await box.pressSequentially(' help');
    await page.getByRole('button', { name: 'Post' }).click();

    const card = page.locator('.ac-adaptiveCard', { hasText: 'Revoke: what you can ask' }).last();
    await card.waitFor();
    // Each command is an element of its own, shown exactly as it is typed.
    for (const typed of [
      'user <upn-or-email> [options] <reason>',
      'plan user <upn-or-email> [options]',
      'restore <request-id> <reason>',
      'wipe <request-id> confirm',
    ]) {
      await card.getByText(typed, { exact: true }).waitFor();
    }
    const shown = await card.innerText();
    assert.ok(!shown.includes('&lt;') && !shown.includes('`'), shown);
    const lines = shown.split('\n').filter((line) => line.trim() !== '');
    assert.ok(lines.length >= 16, `one line per command and description: ${lines.length}`);
    await snap(card, 'help');
  });
});
