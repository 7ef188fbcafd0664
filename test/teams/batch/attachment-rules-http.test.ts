// The CSV of `users …` is an untrusted URL the bot is asked to fetch. Through /api/messages with
// the real app: it is fetched only for someone allowed to ask, only from the local Playground in
// sandbox mode and only from Teams' file hosts with a real tenant, and an oversized file is
// refused without being read to the end. The connector stand-in serves the files and records
// every download, so "never fetched" is what it saw.
import { strict as assert } from 'node:assert';
import type { RevokeApp } from '../../../src/app';
import type { Person } from '../../../src/core/model';
import { channelMessage, fileAttachment, TENANT_ID } from '../../support/activities';
import { approverCallOf, cardOf, ConnectorStandin } from '../../support/connector-standin';
import { EntraStandin } from '../../support/entra-standin';
import { startGraphModeApp } from '../../support/graph-mode-app';
import { startSandboxApp, type SandboxApp } from '../../support/sandbox-app';

/** The sandbox's approver group: Priya is in it, Sam is not. */
const APPROVERS = '13371b25-3f89-43d7-9bc9-09379c4d68f6';
const LIST = 'upn\nbob.smith@contoso.com\ndana.obrien@contoso.com\n';

describe('CSV attachments of `users …` through /api/messages (sandbox tenant)', function () {
  this.timeout(20_000);
  let sandbox: SandboxApp;

  afterEach(() => sandbox.stop());

  /** Posts `users …` with the attachments and returns the bot's first answer. */
  async function say(from: Person, attachments: Record<string, unknown>[]) {
    const { connector, serviceUrl } = sandbox;
    const before = connector.posted().length;
    const message = channelMessage(from, 'users Phishing wave', { serviceUrl });
    message['attachments'] = attachments;
    assert.equal((await sandbox.post(message)).status, 200);
    return connector.waitFor(() => connector.posted()[before]);
  }

  it('is never fetched for someone outside REQUESTER_GROUP_ID', async () => {
    sandbox = await startSandboxApp({ REQUESTER_GROUP_ID: APPROVERS });
    const { connector } = sandbox;
    const url = connector.offerFile('users.csv', LIST);
    const answer = await say(sandbox.person('sam.rivera@contoso.com'), [
      fileAttachment('users.csv', url),
    ]);
    assert.match(String(answer.text), /Only members of the requester group/);
    assert.deepEqual(connector.fileDownloads, [], 'the stand-in saw no download');

    // A member of the group gets the list read.
    const call = await say(sandbox.person('priya.patel@contoso.com'), [
      fileAttachment('users.csv', url),
    ]);
    assert.match(
      String(approverCallOf(call)?.text),
      /Priya Patel asks to revoke all access of 2 users at once/,
    );
    assert.deepEqual(connector.fileDownloads, ['users.csv']);
  });

  it('is never fetched from a channel where the bot is not enabled, nor past the rate limit', async () => {
    sandbox = await startSandboxApp({
      ALLOWED_CHANNEL_IDS: '19:another-channel@thread.tacv2',
      COMMANDS_PER_MINUTE: '1',
    });
    const { connector } = sandbox;
    const url = connector.offerFile('users.csv', LIST);
    const sam = sandbox.person('sam.rivera@contoso.com');
    const answer = await say(sam, [fileAttachment('users.csv', url)]);
    assert.match(String(answer.text), /not enabled here/);
    const limited = await say(sam, [fileAttachment('users.csv', url)]);
    assert.match(String(limited.text), /faster than I take them/);
    assert.deepEqual(connector.fileDownloads, []);
  });

  it('comes only from the local Playground: another host, or plain HTTP elsewhere, is refused with a clear reply', async () => {
    sandbox = await startSandboxApp();
    const { connector } = sandbox;
    const sam = sandbox.person('sam.rivera@contoso.com');
    const cases: [string, RegExp][] = [
      [
        'https://contoso.sharepoint.com/sites/soc/users.csv',
        /^In sandbox mode only files offered by the local Playground are downloaded; this one was not\.$/,
      ],
      [
        'http://files.contoso.example/users.csv',
        /^The attached file is not offered over HTTPS; it was not downloaded\.$/,
      ],
    ];
    for (const [url, expected] of cases) {
      const answer = await say(sam, [fileAttachment('users.csv', url)]);
      assert.match(String(answer.text), expected);
    }
    assert.equal(connector.posted().filter((a) => cardOf(a)).length, 0, 'no batch was asked for');
  });

  it('an oversized file is refused without being read to the end', async () => {
    sandbox = await startSandboxApp();
    const { connector } = sandbox;
    const size = 4 * 1024 * 1024;
    const url = connector.offerFile('huge.csv', Buffer.alloc(size, 0x61), { streamed: true });
    const answer = await say(sandbox.person('sam.rivera@contoso.com'), [
      fileAttachment('huge.csv', url),
    ]);
    assert.match(String(answer.text), /larger than 256 KiB/);
    const sent = connector.fileBytesSent.get('huge.csv') ?? 0;
    assert.ok(sent < size / 4, `${sent} of ${size} bytes were sent before the bot hung up`);
  });
});

describe('CSV attachments of `users …` with a real tenant (graph mode)', function () {
  this.timeout(30_000);
  let standin: EntraStandin;
  let connector: ConnectorStandin;
  let app: RevokeApp;

  afterEach(async () => {
    await app.stop();
    await connector.stop();
    await standin.stop();
  });

  it("refuses a file that is not on Teams' file hosts, and never fetches it", async () => {
    standin = await new EntraStandin({ tenantId: TENANT_ID }).start();
    connector = new ConnectorStandin();
    const serviceUrl = await connector.start();
    const user = standin.state.addUser({
      userPrincipalName: 'sam.rivera@contoso.test',
      displayName: 'Sam Rivera',
    });
    const sam: Person = { id: user.id, name: 'Sam Rivera', upn: 'sam.rivera@contoso.test' };
    const approvers = standin.state.addGroup({ displayName: 'Approvers', memberIds: [] });
    let baseUrl: string;
    ({ app, baseUrl } = await startGraphModeApp(standin, {
      approverGroupId: approvers.id,
      roles: ['User.Read.All', 'GroupMember.Read.All'],
    }));
    // A loopback URL like the sandbox's: fine for the Playground, never with a real tenant.
    const urls: [string, RegExp][] = [
      [connector.offerFile('users.csv', LIST), /not offered over HTTPS/],
      [
        'https://files.contoso.example/users.csv',
        /^The attached file does not come from Teams \(SharePoint or OneDrive\); it was not downloaded\.$/,
      ],
    ];
    for (const [url, expected] of urls) {
      const before = connector.posted().length;
      const message = channelMessage(sam, 'users Phishing wave', { serviceUrl });
      message['attachments'] = [fileAttachment('users.csv', url)];
      await fetch(`${baseUrl}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(message),
      });
      const answer = await connector.waitFor(() => connector.posted()[before]);
      assert.match(String(answer.text), expected);
    }
    assert.deepEqual(connector.fileDownloads, []);
  });
});
