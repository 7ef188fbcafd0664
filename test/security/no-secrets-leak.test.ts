// No secret leaves the process where it does not belong. One whole revocation in graph mode (the
// HTTPS Entra/Graph stand-in with real tokens, a real Samba AD over LDAPS, Bot Framework
// authentication on) with the log at debug level, through a throttled call and an outage; then
// every place a secret could end up is searched for every secret the run touched: the AD
// passwords it generated, the Graph client secret, the LDAP bind password, the bot's app
// password, every access token Entra issued and every channel token Teams sent.
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import sinon from 'sinon';
import {
  MicrosoftAppCredentials,
  PasswordServiceClientCredentialFactory,
} from 'botframework-connector';
import { buildApp, type RevokeApp } from '../../src/app';
import { describeConfig, loadConfig } from '../../src/config';
import type { Person } from '../../src/core/model';
import { runStartupChecks } from '../../src/doctor/startup-checks';
import * as randomPassword from '../../src/directory/ldap/random-password';
import { createLogger } from '../../src/log';
import { projectRoot } from '../../src/project-root';
import { cardAction, channelMessage, TENANT_ID } from '../support/activities';
import { BotFrameworkIssuer } from '../support/bot-framework-issuer';
import { cardOf } from '../support/connector-standin';
import { HybridTenant } from '../integration/hybrid-tenant';
import { readRequest, waitUntil } from '../integration/revocation-driver';

const APP_ID = '5c1d3e7f-2a4b-4c6d-8e0f-1a2b3c4d5e6f';

/** Replies reach the connector stand-in without a token; the password is still configured. */
class AnonymousOutbound extends PasswordServiceClientCredentialFactory {
  override async createCredentials(): ReturnType<
    PasswordServiceClientCredentialFactory['createCredentials']
  > {
    return MicrosoftAppCredentials.Empty;
  }
}

/** Writes to stdout and stderr while `capture` runs are kept (and still shown). */
function teeOutput(): { text: () => string; restore: () => void } {
  const chunks: string[] = [];
  const originals = [process.stdout.write, process.stderr.write] as const;
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString());
      return write(chunk, ...rest);
    }) as typeof stream.write;
  }
  return {
    text: () => chunks.join(''),
    restore: () => {
      [process.stdout.write, process.stderr.write] = originals;
    },
  };
}

/** Each secret, and the forms it takes on the wire, so an encoded copy is caught too. */
function forms(secret: string): string[] {
  const found = [secret];
  // What the LDAP adapter sends as unicodePwd: the quoted password in UTF-16LE, base64 in LDIF.
  found.push(Buffer.from(`"${secret}"`, 'utf16le').toString('base64'));
  found.push(encodeURIComponent(secret));
  const parts = secret.split('.');
  // A JWT's signature is the part that makes it usable.
  if (parts.length === 3 && (parts[2] ?? '').length > 16) found.push(parts[2] ?? '');
  return [...new Set(found)].filter((form) => form.length >= 12);
}

function everyDatabaseRow(file: string): string[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const objects = db.prepare('SELECT type, name, sql FROM sqlite_master').all() as {
      type: string;
      name: string;
      sql: string | null;
    }[];
    const rows: string[] = objects.map((o) => JSON.stringify(o));
    for (const table of objects.filter((o) => o.type === 'table')) {
      const quoted = `"${table.name.replaceAll('"', '""')}"`;
      for (const row of db.prepare(`SELECT * FROM ${quoted}`).all()) {
        rows.push(`${table.name}: ${JSON.stringify(row)}`);
      }
    }
    return rows;
  } finally {
    db.close();
  }
}

describe('no secret leaks: a whole graph-mode revocation, every output searched', function () {
  this.timeout(60_000);
  const tenant = new HybridTenant();
  const issuer = new BotFrameworkIssuer();
  const botPassword = `bot~${randomBytes(24).toString('base64url')}`;
  const logLines: string[] = [];
  const channelTokens: string[] = [];
  let dir: string;
  let app: RevokeApp | undefined;
  let output: ReturnType<typeof teeOutput> | undefined;

  before(async () => {
    await tenant.start();
    await issuer.start();
    dir = mkdtempSync(join(tmpdir(), 'revoke-secrets-'));
  });

  after(async () => {
    output?.restore();
    sinon.restore();
    await app?.stop();
    await issuer.stop();
    await tenant.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function post(baseUrl: string, activity: Record<string, unknown>): Promise<unknown> {
    const token = issuer.channelToken({ appId: APP_ID, serviceUrl: tenant.serviceUrl });
    channelTokens.push(token);
    const response = await fetch(`${baseUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(activity),
      signal: AbortSignal.timeout(15_000),
    });
    assert.equal(response.status, 200, `POST /api/messages answered ${response.status}`);
    const text = await response.text();
    return text ? (JSON.parse(text) as unknown) : undefined;
  }

  it('finds no secret in the log, the test output, the Teams thread or any database row', async () => {
    const target = await tenant.addTarget(2);
    const { standin, connector } = tenant;
    standin.faults.add({ method: 'PATCH', path: /^\/v1\.0\/users\//, status: 429, times: 1 });
    standin.faults.add({ method: 'POST', path: /revokeSignInSessions$/, status: 503, times: 1 });
    const generated = sinon.spy(randomPassword, 'generateRandomPassword');
    output = teeOutput();

    const db = join(dir, 'revoke.db');
    const { INSECURE_SKIP_BOT_AUTH: _skip, ...env } = tenant.env(db);
    const config = loadConfig(
      {
        ...env,
        LOG_LEVEL: 'debug',
        MicrosoftAppId: APP_ID,
        MicrosoftAppPassword: botPassword,
        MicrosoftAppType: 'SingleTenant',
        MicrosoftAppTenantId: TENANT_ID,
      },
      projectRoot(),
    );
    const logger = createLogger({
      level: 'debug',
      base: { service: 'revoke' },
      sink: (line) => logLines.push(line),
    });
    app = await buildApp(config, {
      logger,
      botAuth: {
        openIdMetadataUrl: issuer.metadataUrl,
        credentialsFactory: new AnonymousOutbound(APP_ID, botPassword, TENANT_ID),
      },
    });
    const baseUrl = await app.start(0, '127.0.0.1');
    // What src/index.ts logs at start: the configuration summary and the set-up checks.
    logger.info('Revoke is listening', {
      url: `${baseUrl}/api/messages`,
      ...describeConfig(config),
    });
    await runStartupChecks(config, projectRoot(), logger);

    const requester: Person = tenant.requester;
    const message = channelMessage(
      requester,
      `user ${target.entra.userPrincipalName} Credentials phished`,
      { serviceUrl: tenant.serviceUrl },
    );
    await post(baseUrl, message);
    const posted = await connector.waitFor(() => connector.posted().find((a) => cardOf(a)));
    const actions = (cardOf(posted)?.actions ?? []) as { verb?: string; data?: unknown }[];
    const requestId = (actions.find((a) => a.verb === 'approve')?.data as { requestId?: string })
      ?.requestId;
    assert.ok(requestId, 'the request card carries its id');
    const ctx = {
      serviceUrl: tenant.serviceUrl,
      threadId: String(message.id),
      cardActivityId: String(posted.id),
    };
    for (const approver of tenant.approvers) {
      await post(baseUrl, cardAction(approver, 'approve', { requestId }, ctx));
    }
    await waitUntil(() => readRequest(db, requestId).status !== 'running', 'the run ends', 40_000);
    const done = readRequest(db, requestId);
    assert.equal(done.status, 'completed', JSON.stringify(done.steps));
    await app.stop();
    app = undefined;
    output.restore();

    const passwords = generated.returnValues;
    assert.equal(passwords.length, 2, 'the AD password was reset twice');
    assert.ok(standin.issuedTokens.length > 0, 'Entra issued access tokens');
    const secrets: [string, string][] = [
      ...passwords.map((p, i): [string, string] => [`generated AD password #${i + 1}`, p]),
      ...tenant.secrets().map((s, i): [string, string] => [`configured secret #${i + 1}`, s]),
      ['bot app password', botPassword],
      ...standin.issuedTokens.map((t, i): [string, string] => [`Graph access token #${i + 1}`, t]),
      ...channelTokens.map((t, i): [string, string] => [`channel token #${i + 1}`, t]),
    ];

    const places: [string, string[]][] = [
      ['log line', logLines],
      ['test output', [output.text()]],
      ['connector activity', connector.calls.map((c) => JSON.stringify(c))],
      ['database row', everyDatabaseRow(db)],
    ];
    assert.ok(logLines.length > 20, `the log has something to search (${logLines.length} lines)`);
    assert.ok(connector.calls.length > 3, 'cards and replies were sent');
    const leaks: string[] = [];
    for (const [place, texts] of places) {
      for (const text of texts) {
        for (const [name, secret] of secrets) {
          for (const form of forms(secret)) {
            if (text.includes(form)) leaks.push(`${name} in a ${place}: ${text.slice(0, 200)}`);
          }
        }
      }
    }
    // Names only: printing a leaked secret in the failure message would leak it once more.
    assert.deepEqual(
      leaks.map((l) => l.split(':')[0]),
      [],
    );
  });
});
