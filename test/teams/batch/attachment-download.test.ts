// The CSV download of `users …` against a local HTTP server that misbehaves the ways a hostile or
// broken file host could: too large (declared or streamed), too slow, redirecting, failing, or
// offered over plain HTTP.
import { strict as assert } from 'node:assert';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AttachmentError,
  downloadText,
  FILE_DOWNLOAD_INFO,
  fileAttachments,
  type DownloadLimits,
} from '../../../src/teams/batch/attachment-download';
import { attachmentUrlProblem } from '../../../src/teams/batch/attachment-hosts';

type Route = (req: IncomingMessage, res: ServerResponse) => void;

const LIMITS: DownloadLimits = { maxBytes: 1_024, timeoutMs: 300, hosts: 'loopback' };

async function rejection(promise: Promise<unknown>): Promise<AttachmentError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof AttachmentError, String(error));
    return error;
  }
  assert.fail('the download was not refused');
}

describe('attachment download (CSV of `users …`)', () => {
  let server: Server;
  let base: string;
  const routes = new Map<string, Route>();
  /** Open responses a slow route holds; ended after each test so the server can close. */
  const held: ServerResponse[] = [];

  before(async () => {
    server = createServer((req, res) => {
      const route = routes.get(req.url ?? '');
      if (route) route(req, res);
      else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(() => {
    routes.clear();
    for (const res of held.splice(0)) res.destroy();
  });

  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('reads a small file as UTF-8', async () => {
    routes.set('/ok.csv', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/csv' });
      res.end('upn\nalice@contoso.com\nzoë@contoso.com\n');
    });
    assert.equal(
      await downloadText(`${base}/ok.csv`, LIMITS),
      'upn\nalice@contoso.com\nzoë@contoso.com\n',
    );
  });

  it('refuses a file whose declared size is over the cap without reading it', async () => {
    routes.set('/declared.csv', (_req, res) => {
      res.writeHead(200, { 'content-length': String(LIMITS.maxBytes * 100) });
      // Only the first chunk; the client must give up on the header alone.
      res.write(Buffer.alloc(512, 0x61));
      held.push(res);
    });
    const error = await rejection(downloadText(`${base}/declared.csv`, LIMITS));
    assert.match(error.message, /larger than 1 KiB/);
  });

  it('stops reading a streamed file (no length given) once it passes the cap', async () => {
    let chunks = 0;
    routes.set('/stream.csv', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/csv' });
      const timer = setInterval(() => {
        if (res.destroyed || chunks >= 1_000) {
          clearInterval(timer);
          res.end();
          return;
        }
        chunks++;
        res.write(Buffer.alloc(256, 0x62));
      }, 2);
      held.push(res);
    });
    const error = await rejection(downloadText(`${base}/stream.csv`, LIMITS));
    assert.match(error.message, /larger than 1 KiB/);
    assert.ok(chunks < 100, `${chunks} chunks were sent before the client stopped`);
  });

  it('gives up on a host that does not answer in time', async () => {
    routes.set('/silent.csv', (_req, res) => {
      held.push(res);
    });
    const started = Date.now();
    const error = await rejection(downloadText(`${base}/silent.csv`, LIMITS));
    assert.match(error.message, /timeout or network error/);
    assert.ok(Date.now() - started < 3_000);
  });

  it('gives up on a host that starts answering and then stalls', async () => {
    routes.set('/stall.csv', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/csv' });
      res.write('alice@contoso.com\n');
      held.push(res);
    });
    const error = await rejection(downloadText(`${base}/stall.csv`, LIMITS));
    assert.match(error.message, /could not be read to the end/);
  });

  it('does not follow redirects, and says which HTTP status failed', async () => {
    routes.set('/moved.csv', (_req, res) => {
      res.writeHead(302, { location: `${base}/ok.csv` });
      res.end();
    });
    let followed = false;
    routes.set('/ok.csv', (_req, res) => {
      followed = true;
      res.end('alice@contoso.com');
    });
    await rejection(downloadText(`${base}/moved.csv`, LIMITS));
    assert.equal(followed, false);
    const missing = await rejection(downloadText(`${base}/nothing-here.csv`, LIMITS));
    assert.equal(missing.message, 'The attached file could not be downloaded (HTTP 404).');
  });

  it('accepts HTTPS only; plain HTTP to loopback only in sandbox mode', async () => {
    let asked = 0;
    routes.set('/ok.csv', (_req, res) => {
      asked++;
      res.end('alice@contoso.com');
    });
    const strict: DownloadLimits = { ...LIMITS, hosts: 'teams' };
    for (const url of [
      `${base}/ok.csv`,
      'http://files.contoso.example/ok.csv',
      'ftp://files.contoso.example/ok.csv',
      'file:///etc/passwd',
    ]) {
      const error = await rejection(downloadText(url, strict));
      assert.match(error.message, /not offered over HTTPS/);
      assert.ok(!error.message.includes('contoso.example'), 'the URL is never repeated');
    }
    // Loopback HTTP is for the sandbox and tests; another host over HTTP is still refused.
    await rejection(downloadText('http://files.contoso.example/ok.csv', LIMITS));
    const invalid = await rejection(downloadText('not a url', LIMITS));
    assert.match(invalid.message, /no valid download address/);
    assert.equal(asked, 0, 'nothing was fetched');
    assert.equal(await downloadText(`${base}/ok.csv`, LIMITS), 'alice@contoso.com');
  });

  it("with a real tenant, only Teams' file hosts (SharePoint and OneDrive) over HTTPS", async () => {
    const teams: DownloadLimits = { ...LIMITS, hosts: 'teams' };
    const allowed = [
      'https://contoso.sharepoint.com/sites/soc/_layouts/15/download.aspx?UniqueId=1',
      'https://contoso-my.sharepoint.com/personal/sam/_layouts/15/download.aspx?UniqueId=1',
      'https://contoso.sharepoint.us/x.csv',
      'https://contoso.sharepoint-mil.us/x.csv',
      'https://contoso.sharepoint.cn/x.csv',
      'https://CONTOSO.SharePoint.com:443/x.csv',
    ];
    for (const url of allowed) {
      assert.equal(attachmentUrlProblem(new URL(url), 'teams'), undefined, url);
    }
    const refused: [string, RegExp][] = [
      ['http://contoso.sharepoint.com/x.csv', /not offered over HTTPS/],
      ['https://files.contoso.example/x.csv', /does not come from Teams/],
      ['https://contoso.sharepoint.com.evil.example/x.csv', /does not come from Teams/],
      ['https://evilsharepoint.com/x.csv', /does not come from Teams/],
      ['https://sharepoint.com/x.csv', /does not come from Teams/],
      ['https://contoso.sharepoint.com:8443/x.csv', /does not come from Teams/],
      ['https://us-api.asm.skype.com/v1/objects/0-x/views/original', /does not come from Teams/],
      ['https://127.0.0.1/x.csv', /does not come from Teams/],
      ['https://user:pw@contoso.sharepoint.com/x.csv', /unusual download address/],
    ];
    for (const [url, expected] of refused) {
      assert.match(String(attachmentUrlProblem(new URL(url), 'teams')), expected, url);
      const error = await rejection(downloadText(url, teams));
      assert.ok(!error.message.includes('evil') && !error.message.includes('pw'), error.message);
    }
  });

  it('in sandbox mode, only the local Playground on loopback (HTTP or HTTPS)', () => {
    for (const url of [
      'http://127.0.0.1:56150/files/x.csv',
      'https://localhost:56150/files/x.csv',
      'http://[::1]:3978/x.csv',
    ]) {
      assert.equal(attachmentUrlProblem(new URL(url), 'loopback'), undefined, url);
    }
    const refused: [string, RegExp][] = [
      ['https://contoso.sharepoint.com/x.csv', /only files offered by the local Playground/],
      ['https://files.contoso.example/x.csv', /only files offered by the local Playground/],
      ['http://files.contoso.example/x.csv', /not offered over HTTPS/],
      ['ftp://127.0.0.1/x.csv', /not offered over HTTPS/],
      ['http://127.0.0.1.nip.example/x.csv', /not offered over HTTPS/],
    ];
    for (const [url, expected] of refused) {
      assert.match(String(attachmentUrlProblem(new URL(url), 'loopback')), expected, url);
    }
  });

  it('takes only Teams file attachments that carry a download URL', () => {
    const files = fileAttachments([
      { contentType: 'text/html', content: '<p>hi</p>' },
      { contentType: FILE_DOWNLOAD_INFO, name: 'users.csv', content: { downloadUrl: 'https://x' } },
      { contentType: FILE_DOWNLOAD_INFO, name: 'nourl.csv', content: { uniqueId: '1' } },
      { contentType: FILE_DOWNLOAD_INFO, content: { downloadUrl: 'https://y' } },
      { contentType: FILE_DOWNLOAD_INFO, name: 'n'.repeat(500), content: { downloadUrl: 'z' } },
      null,
      'string',
    ]);
    assert.deepEqual(
      files.map((f) => [f.name, f.downloadUrl]),
      [
        ['users.csv', 'https://x'],
        ['file', 'https://y'],
        ['n'.repeat(200), 'z'],
      ],
    );
    assert.deepEqual(fileAttachments(undefined), []);
    assert.deepEqual(fileAttachments({ contentType: FILE_DOWNLOAD_INFO }), []);
  });
});
