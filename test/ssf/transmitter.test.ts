// The transmitter against a receiver stand-in that checks what real receivers check: SETs it
// signs verify against the JWKS the stand-in fetches over HTTPS from the metadata, each event
// type passes its schema, and the receiver's answers become the errors Revoke's retry layer needs.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { DirectoryError } from '../../src/core/errors';
import { SSF_EVENTS, type SetClaims } from '../../src/core/saas/ssf-port';
import type { SsfSettings, StaticReceiver } from '../../src/ssf/ssf-settings';
import { SsfTransmitter } from '../../src/ssf/transmitter';
import { systemClock } from '../../src/core/clock';
import { SsfReceiverStandin } from '../support/ssf-receiver-standin';
import {
  startTransmitter,
  writeKeyPair,
  type TransmitterHarness,
} from '../support/ssf-transmitter-harness';

const AUDIENCE = 'https://receiver.example.test/okta';
const PUSH_TOKEN = 'push-token-of-the-receiver-0123456789';

function claims(type: string, members: Record<string, unknown>): SetClaims {
  return {
    jti: randomUUID(),
    iat: Math.floor(Date.now() / 1000),
    txn: 'req-1',
    sub_id: { format: 'email', email: 'alice.johnson@contoso.test' },
    events: { [type]: members },
  };
}

describe('the Shared Signals transmitter (SETs pushed to a receiver stand-in)', function () {
  this.timeout(20_000);
  let dir: string;
  let receiver: SsfReceiverStandin;
  let harness: TransmitterHarness | undefined;

  function settings(keyFile: string, previous: string[] = []): Omit<SsfSettings, 'issuer'> {
    const okta: StaticReceiver = {
      name: 'okta',
      pushUrl: receiver.pushUrl,
      audience: AUDIENCE,
      pushToken: PUSH_TOKEN,
      subjectFormat: 'email',
      events: [],
    };
    return {
      signingKeyFile: keyFile,
      previousKeyFiles: previous,
      receivers: [okta],
      clients: [],
      pushTimeoutMs: 5_000,
    };
  }

  async function start(keyFile: string, previous: string[] = []): Promise<TransmitterHarness> {
    await harness?.stop();
    harness = await startTransmitter(settings(keyFile, previous));
    receiver.expect({ issuer: harness.issuer });
    return harness;
  }

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'revoke-ssf-'));
    receiver = new SsfReceiverStandin({ issuer: '', audience: AUDIENCE, token: PUSH_TOKEN });
    await receiver.start();
  });

  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
    await receiver.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('pushes each event type as a SET the receiver verifies and accepts', async () => {
    const { transmitter } = await start(writeKeyPair(dir, 'current').privateFile);
    const sent = [
      claims(SSF_EVENTS.accountDisabled, { reason: 'hijacking' }),
      claims(SSF_EVENTS.sessionRevoked, {
        event_timestamp: 1_700_000_000,
        initiating_entity: 'admin',
        reason_admin: { en: 'test' },
      }),
      claims(SSF_EVENTS.credentialChange, { credential_type: 'password', change_type: 'update' }),
      claims(SSF_EVENTS.accountEnabled, {}),
    ];
    for (const set of sent) {
      const { acknowledgedAt } = await transmitter.deliver('okta', set);
      assert.ok(acknowledgedAt instanceof Date);
    }
    assert.deepEqual(receiver.refused, []);
    assert.deepEqual(
      receiver.accepted.map((s) => s.jti),
      sent.map((s) => s.jti),
    );
    const first = receiver.accepted[0];
    assert.equal(first?.claims.iss, harness?.issuer);
    assert.equal(first?.claims.aud, AUDIENCE);
    assert.equal(first?.claims.txn, 'req-1');
    assert.deepEqual(first?.claims.sub_id, {
      format: 'email',
      email: 'alice.johnson@contoso.test',
    });
  });

  it('sends a verification event with the stream as subject and the state echoed', async () => {
    const { transmitter } = await start(writeKeyPair(dir, 'current', 'ec', 'jwk').privateFile);
    await transmitter.sendVerification('okta', 'state-42');
    const [set] = receiver.ofType('/verification');
    assert.deepEqual(set?.event, { state: 'state-42' });
    assert.deepEqual(set?.claims.sub_id, { format: 'opaque', id: 'okta' });
  });

  it('a duplicate jti is acknowledged and dropped by the receiver', async () => {
    const { transmitter } = await start(writeKeyPair(dir, 'current').privateFile);
    const set = claims(SSF_EVENTS.accountDisabled, {});
    await transmitter.deliver('okta', set);
    await transmitter.deliver('okta', set);
    assert.equal(receiver.accepted.length, 1);
    assert.deepEqual(receiver.duplicates, [set.jti]);
  });

  it('a SET that breaks its event schema is refused as invalid_request, not retried', async () => {
    const { transmitter } = await start(writeKeyPair(dir, 'current').privateFile);
    const error = await transmitter
      .deliver('okta', claims(SSF_EVENTS.credentialChange, { credential_type: 'password' }))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    assert.ok(error instanceof DirectoryError);
    assert.equal(error.kind, 'rejected');
    assert.equal(error.code, 'invalid_request');
    assert.match(error.message, /change_type/);
  });

  it('maps the receiver answers: 429 with Retry-After, 5xx, down, wrong token, wrong audience', async () => {
    const keyFile = writeKeyPair(dir, 'current').privateFile;
    const { transmitter } = await start(keyFile);
    const failure = (set = claims(SSF_EVENTS.accountEnabled, {})) =>
      transmitter.deliver('okta', set).then(
        () => assert.fail('the push should have failed'),
        (e: unknown) => e as DirectoryError,
      );

    receiver.canned.push({ status: 429, retryAfter: '7' });
    const throttled = await failure();
    assert.equal(throttled.kind, 'throttled');
    assert.equal(throttled.retryAfterMs, 7_000);

    receiver.canned.push({ status: 503 });
    assert.equal((await failure()).kind, 'transient');

    receiver.down = true;
    assert.equal((await failure()).kind, 'transient');
    receiver.down = false;

    receiver.expect({ token: 'another-token' });
    const refused = await failure();
    assert.equal(refused.kind, 'permission');
    assert.ok(!refused.message.includes(PUSH_TOKEN), 'the token is never in a message');

    receiver.expect({ token: PUSH_TOKEN, audience: 'https://someone-else.test' });
    const audience = await failure();
    assert.equal(audience.kind, 'rejected');
    assert.equal(audience.code, 'invalid_audience');
    assert.match(audience.advice ?? '', /audience/);
  });

  it('key rotation: the old key stays in the JWKS, so SETs signed before the rotation still verify', async () => {
    const old = writeKeyPair(dir, 'old');
    const next = writeKeyPair(dir, 'new');
    // The transmitter as it was before the rotation, under the same issuer.
    const signedBefore = async (issuer: string) => {
      const before = new SsfTransmitter(
        { ...settings(old.privateFile), issuer },
        { clock: systemClock },
      );
      return {
        jwt: await before.sign(claims(SSF_EVENTS.accountDisabled, {}), AUDIENCE),
        kid: (await before.signingKeys()).kid,
      };
    };

    // Rotated, with the old key kept: both published, new SETs signed with the new one.
    const rotated = await start(next.privateFile, [old.publicFile]);
    const oldSet = await signedBefore(rotated.issuer);
    const jwks = (await (await fetch(`${rotated.issuer}/ssf/jwks`)).json()) as {
      keys: { kid: string; alg: string; use: string; d?: string }[];
    };
    const newKid = (await rotated.transmitter.signingKeys()).kid;
    assert.deepEqual(
      jwks.keys.map((k) => k.kid),
      [newKid, oldSet.kid],
    );
    assert.ok(jwks.keys.every((k) => k.d === undefined && k.use === 'sig' && k.alg === 'RS256'));
    await rotated.transmitter.deliver('okta', claims(SSF_EVENTS.accountEnabled, {}));
    assert.equal(receiver.accepted.at(-1)?.kid, newKid);
    assert.equal(await postRaw(oldSet.jwt), 202, 'a SET signed with the old key verifies');

    // Without the old key published, such a SET is refused as invalid_key.
    const without = await start(next.privateFile);
    assert.equal(await postRaw((await signedBefore(without.issuer)).jwt), 400);
    assert.equal(receiver.refused.at(-1)?.err, 'invalid_key');
  });

  async function postRaw(jwt: string): Promise<number> {
    const response = await fetch(receiver.pushUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/secevent+jwt',
        authorization: `Bearer ${PUSH_TOKEN}`,
      },
      body: jwt,
    });
    await response.text();
    return response.status;
  }
});
