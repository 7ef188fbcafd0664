import assert from 'node:assert/strict';
import { useHarness, type Harness } from './fixtures';

describe('GraphDirectory.disableDevices ($batch)', () => {
  let h: Harness;
  useHarness((harness) => (h = harness));

  it('maps mixed sub-responses per device: OK, 5xx, 429 with Retry-After, 404', async () => {
    const ids = Array.from(
      { length: 6 },
      (_, i) => h.standin.state.addDevice({ displayName: `d${i}` }).id,
    );
    const [ok0, failing, throttled, ok3, ok4] = ids as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    h.standin.faults.add({
      insideBatch: true,
      path: new RegExp(`/devices/${failing}$`),
      status: 503,
    });
    h.standin.faults.add({
      insideBatch: true,
      path: new RegExp(`/devices/${throttled}$`),
      status: 429,
      retryAfterSeconds: 9,
    });

    const results = await h.directory.disableDevices([...ids, 'missing-device']);

    assert.equal(h.standin.log.httpCount('POST /$batch'), 1);
    for (const id of [ok0, ok3, ok4]) {
      assert.equal(results.get(id), undefined);
      assert.equal(h.standin.state.devices.get(id)?.accountEnabled, false);
    }
    assert.equal(results.get(failing)?.kind, 'transient');
    assert.equal(results.get(throttled)?.kind, 'throttled');
    assert.equal(results.get(throttled)?.retryAfterMs, 9000);
    assert.match(results.get(throttled)?.requestId ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(results.get('missing-device')?.kind, 'not_found');
    assert.equal(h.standin.state.devices.get(failing)?.accountEnabled, true);
    assert.equal(h.standin.state.devices.get(throttled)?.accountEnabled, true);
    assert.equal(results.size, 7);
  });

  it('sends at most 20 per batch', async () => {
    const ids = Array.from(
      { length: 45 },
      (_, i) => h.standin.state.addDevice({ displayName: `m${i}` }).id,
    );
    const results = await h.directory.disableDevices(ids);
    assert.equal(h.standin.log.httpCount('POST /$batch'), 3);
    assert.equal(h.standin.log.count('PATCH /devices/{id}'), 45);
    assert.ok([...results.values()].every((r) => r === undefined));
  });

  it('reports a failed batch request against every device it carried', async () => {
    const ids = Array.from(
      { length: 3 },
      (_, i) => h.standin.state.addDevice({ displayName: `b${i}` }).id,
    );
    h.standin.faults.add({ path: /\/\$batch$/, status: 429, retryAfterSeconds: 2 });
    const results = await h.directory.disableDevices(ids);
    for (const id of ids) {
      assert.equal(results.get(id)?.kind, 'throttled');
      assert.equal(results.get(id)?.retryAfterMs, 2000);
    }
  });
});
