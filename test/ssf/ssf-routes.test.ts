// The SSF management API as a receiver uses it: metadata, then its own stream created, read,
// updated, replaced, paused, its subjects changed, verified and deleted, each call with its bearer
// token; another receiver's token sees none of it.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SSF_EVENTS } from '../../src/core/saas/ssf-port';
import { SqliteRequestStore } from '../../src/store';
import type { StreamClient } from '../../src/ssf/ssf-settings';
import { SsfReceiverStandin } from '../support/ssf-receiver-standin';
import {
  startTransmitter,
  writeKeyPair,
  type TransmitterHarness,
} from '../support/ssf-transmitter-harness';

const GOOGLE_TOKEN = 'google-management-token-0123456789abcdef';
const OTHER_TOKEN = 'other-management-token-0123456789abcdef';
const AUDIENCE = 'https://receiver.example.test/google';

describe('the SSF management API (streams, status, subjects, verification)', function () {
  this.timeout(20_000);
  let dir: string;
  let store: SqliteRequestStore;
  let receiver: SsfReceiverStandin;
  let harness: TransmitterHarness;

  const client = (name: string, token: string): StreamClient => ({
    name,
    token,
    audience: AUDIENCE,
    subjectFormat: 'email',
  });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'revoke-ssf-api-'));
    store = new SqliteRequestStore(':memory:');
    receiver = new SsfReceiverStandin({ issuer: '', audience: AUDIENCE });
    await receiver.start();
    harness = await startTransmitter({
      signingKeyFile: writeKeyPair(dir, 'key').privateFile,
      previousKeyFiles: [],
      receivers: [],
      clients: [client('google', GOOGLE_TOKEN), client('other', OTHER_TOKEN)],
      pushTimeoutMs: 5_000,
    });
    harness.transmitter.useStreams(store.ssfStreams);
    receiver.expect({ issuer: harness.issuer });
  });

  afterEach(async () => {
    await harness.stop();
    await receiver.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function call(
    method: string,
    path: string,
    body?: unknown,
    token = GOOGLE_TOKEN,
  ): Promise<{ status: number; body: Record<string, unknown> & unknown[] }> {
    const response = await fetch(`${harness.issuer}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : {} };
  }

  it('publishes the transmitter metadata at the well-known URL', async () => {
    const response = await fetch(`${harness.issuer}/.well-known/ssf-configuration`);
    const metadata = (await response.json()) as Record<string, unknown>;
    assert.equal(metadata.spec_version, '1_0');
    assert.equal(metadata.issuer, harness.issuer);
    assert.equal(metadata.jwks_uri, `${harness.issuer}/ssf/jwks`);
    assert.deepEqual(metadata.delivery_methods_supported, ['urn:ietf:rfc:8935']);
    for (const endpoint of [
      'configuration_endpoint',
      'status_endpoint',
      'add_subject_endpoint',
      'remove_subject_endpoint',
      'verification_endpoint',
    ])
      assert.match(String(metadata[endpoint]), new RegExp(`^${harness.issuer}/ssf/`));
  });

  it('refuses calls without a valid bearer token', async () => {
    assert.equal((await call('GET', '/ssf/streams', undefined, 'wrong-token')).status, 401);
    const bare = await fetch(`${harness.issuer}/ssf/streams`);
    assert.equal(bare.status, 401);
    assert.equal(bare.headers.get('www-authenticate'), 'Bearer');
  });

  it('runs a stream through its whole life', async () => {
    const created = await call('POST', '/ssf/streams', {
      delivery: { method: 'urn:ietf:rfc:8935', endpoint_url: receiver.pushUrl },
      events_requested: [SSF_EVENTS.sessionRevoked, 'https://example.test/unknown-event'],
      description: 'Google Workspace',
    });
    assert.equal(created.status, 201);
    const id = String(created.body.stream_id);
    assert.equal(created.body.iss, harness.issuer);
    assert.equal(created.body.aud, AUDIENCE);
    assert.deepEqual(created.body.events_delivered, [SSF_EVENTS.sessionRevoked]);
    assert.equal((created.body.events_supported as unknown[]).length, 4);

    const read = await call('GET', `/ssf/streams?stream_id=${id}`);
    assert.deepEqual(read.body, created.body);
    assert.equal((await call('GET', '/ssf/streams')).body.length, 1);
    assert.equal((await call('GET', '/ssf/streams', undefined, OTHER_TOKEN)).body.length, 0);
    assert.equal(
      (await call('GET', `/ssf/streams?stream_id=${id}`, undefined, OTHER_TOKEN)).status,
      404,
      "another receiver's stream is not found",
    );

    const patched = await call('PATCH', '/ssf/streams', {
      stream_id: id,
      events_requested: [SSF_EVENTS.sessionRevoked, SSF_EVENTS.accountDisabled],
    });
    assert.equal(patched.status, 200);
    assert.deepEqual(patched.body.events_delivered, [
      SSF_EVENTS.accountDisabled,
      SSF_EVENTS.sessionRevoked,
    ]);
    assert.equal(patched.body.description, 'Google Workspace', 'PATCH keeps what it does not name');

    const replaced = await call('PUT', '/ssf/streams', {
      stream_id: id,
      delivery: { method: 'urn:ietf:rfc:8935', endpoint_url: receiver.pushUrl },
    });
    assert.equal(replaced.status, 200);
    assert.equal(replaced.body.description, undefined, 'PUT replaces what it does not name');
    assert.equal((replaced.body.events_delivered as unknown[]).length, 4);

    assert.deepEqual((await call('GET', `/ssf/status?stream_id=${id}`)).body, {
      stream_id: id,
      status: 'enabled',
    });
    const paused = await call('POST', '/ssf/status', {
      stream_id: id,
      status: 'paused',
      reason: 'maintenance',
    });
    assert.deepEqual(paused.body, { stream_id: id, status: 'paused', reason: 'maintenance' });
    assert.equal((await harness.transmitter.receiver(id))?.status, 'paused');
    assert.equal(
      (await call('POST', '/ssf/status', { stream_id: id, status: 'sleeping' })).status,
      400,
    );

    const subject = { format: 'email', email: 'alice.johnson@contoso.test' };
    assert.equal(
      (await call('POST', '/ssf/subjects/remove', { stream_id: id, subject })).status,
      204,
    );
    assert.deepEqual((await harness.transmitter.receiver(id))?.excludedSubjects, [
      'email:alice.johnson@contoso.test',
    ]);
    assert.equal((await call('POST', '/ssf/subjects/add', { stream_id: id, subject })).status, 200);
    assert.deepEqual((await harness.transmitter.receiver(id))?.excludedSubjects, []);

    assert.equal((await call('POST', '/ssf/verify', { stream_id: id, state: 'abc' })).status, 204);
    const verification = await receiver.waitFor(() => receiver.ofType('/verification')[0]);
    assert.deepEqual(verification.event, { state: 'abc' });
    assert.deepEqual(verification.claims.sub_id, { format: 'opaque', id });

    assert.equal((await call('DELETE', `/ssf/streams?stream_id=${id}`)).status, 204);
    assert.equal((await call('GET', `/ssf/streams?stream_id=${id}`)).status, 404);
    assert.equal(await harness.transmitter.receiver(id), undefined);
  });

  it('refuses poll delivery, a push URL that is not https, and an authorization header to keep', async () => {
    const refused = async (delivery: Record<string, unknown>) =>
      call('POST', '/ssf/streams', { delivery });
    assert.equal((await refused({ method: 'urn:ietf:rfc:8936' })).status, 400);
    assert.equal(
      (await refused({ method: 'urn:ietf:rfc:8935', endpoint_url: 'http://127.0.0.1/x' })).status,
      400,
    );
    const secret = await refused({
      method: 'urn:ietf:rfc:8935',
      endpoint_url: receiver.pushUrl,
      authorization_header: 'Bearer receiver-secret',
    });
    assert.equal(secret.status, 400);
    assert.match(String(secret.body.error), /SSF_STREAM_CLIENTS/);
    assert.deepEqual(await store.ssfStreams.listStreams(), []);
  });
});
