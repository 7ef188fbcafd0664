// The rewrite preloaded into the Agents Playground: every form of listen() on TCP binds 127.0.0.1.
import { strict as assert } from 'node:assert';
import { loopbackListenArgs } from '../../../src/dev/playground/loopback-listen';

describe('loopbackListenArgs', () => {
  const callback = (): void => undefined;

  it('adds or replaces the host of listen(port, …)', () => {
    assert.deepEqual(loopbackListenArgs([56150, callback]), [56150, '127.0.0.1', callback]);
    assert.deepEqual(loopbackListenArgs([56150]), [56150, '127.0.0.1']);
    assert.deepEqual(loopbackListenArgs(['56150', '0.0.0.0', 511, callback]), [
      '56150',
      '127.0.0.1',
      511,
      callback,
    ]);
    assert.deepEqual(loopbackListenArgs([0, '::', callback]), [0, '127.0.0.1', callback]);
    assert.deepEqual(loopbackListenArgs([80, 511, callback]), [80, '127.0.0.1', 511, callback]);
  });

  it('listen() and listen(callback) pick a random port on loopback', () => {
    assert.deepEqual(loopbackListenArgs([]), [0, '127.0.0.1']);
    assert.deepEqual(loopbackListenArgs([callback]), [0, '127.0.0.1', callback]);
  });

  it('sets the host of listen(options)', () => {
    assert.deepEqual(loopbackListenArgs([{ port: 1, host: '::', ipv6Only: true }, callback]), [
      { port: 1, host: '127.0.0.1', ipv6Only: true },
      callback,
    ]);
  });

  it('leaves local sockets and handles alone', () => {
    assert.deepEqual(loopbackListenArgs(['/tmp/x.sock']), ['/tmp/x.sock']);
    assert.deepEqual(loopbackListenArgs([{ path: '/tmp/x.sock' }]), [{ path: '/tmp/x.sock' }]);
    assert.deepEqual(loopbackListenArgs([{ fd: 3 }]), [{ fd: 3 }]);
  });
});
