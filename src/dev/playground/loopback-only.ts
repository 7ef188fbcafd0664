// Preloaded (`node --require`) into the Agents Playground's process only: every TCP listener it
// opens binds to 127.0.0.1, so the sandbox's browser client is reachable from this machine alone.
// Never imported by Revoke itself: it changes net.Server for the whole process.
import { Server } from 'node:net';
import { loopbackListenArgs } from './loopback-listen';

const listen = Server.prototype.listen;
Server.prototype.listen = function listenOnLoopback(this: Server, ...args: unknown[]): Server {
  return (listen as (...a: unknown[]) => Server).apply(this, loopbackListenArgs(args));
} as typeof listen;
