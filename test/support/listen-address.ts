// Who can reach a port on this machine: from loopback, and from this machine's own non-loopback
// address (what another host on the network would connect to). Also the local addresses the
// kernel lists as listening on a port (Linux /proc/net/tcp*), whoever owns the socket.
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';

/** An address of this machine that is not loopback (IPv4 first), if it has one. */
export function nonLoopbackAddress(): string | undefined {
  const addresses = Object.values(networkInterfaces())
    .flat()
    .filter((a) => a !== undefined && !a.internal);
  const pick = addresses.find((a) => a?.family === 'IPv4') ?? addresses[0];
  return pick?.address;
}

/** Whether a TCP connection to host:port is accepted. */
export function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2_000 });
    const done = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

/** The local addresses with a socket listening on `port` (IPv4 dotted, IPv6 as `::`-less hex). */
export function listeningAddresses(port: number): string[] {
  const found: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (!local || state !== '0A') continue; // 0A: LISTEN
      const [hex = '', portHex = ''] = local.split(':');
      if (parseInt(portHex, 16) !== port) continue;
      found.push(hex.length === 8 ? ipv4(hex) : hex.toLowerCase());
    }
  }
  return found;
}

/** /proc/net/tcp writes an IPv4 address as one little-endian 32-bit hex number. */
function ipv4(hex: string): string {
  return [6, 4, 2, 0].map((i) => parseInt(hex.slice(i, i + 2), 16)).join('.');
}
