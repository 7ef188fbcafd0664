// The arguments of net.Server#listen rewritten so the listener binds to loopback only. The Agents
// Playground listens on every interface and has no option for that (its CLI takes a port, never a
// host), so its process gets this rewrite preloaded (loopback-only.ts).

export const LOOPBACK = '127.0.0.1';

/**
 * listen(port[, host][, backlog][, callback]), listen(options[, callback]) and listen([callback])
 * on TCP come back with the host set to 127.0.0.1, whatever host they named; listen(path) (a local
 * socket) and listen(handle) are not on a network interface and come back unchanged.
 */
export function loopbackListenArgs(args: readonly unknown[]): unknown[] {
  const [first, ...rest] = args;
  if (first === undefined || typeof first === 'function') {
    return [0, LOOPBACK, ...(first === undefined ? rest : args)];
  }
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    const [second, ...others] = rest;
    return typeof second === 'string' ? [first, LOOPBACK, ...others] : [first, LOOPBACK, ...rest];
  }
  if (typeof first === 'object' && first !== null && isTcpOptions(first)) {
    return [{ ...first, host: LOOPBACK }, ...rest];
  }
  return [...args];
}

function isTcpOptions(options: object): boolean {
  // A handle, a file descriptor or a local socket path: nothing to bind to an interface.
  return (
    !('path' in options) && !('fd' in options) && !('_handle' in options) && !('handle' in options)
  );
}
