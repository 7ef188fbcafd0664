// The transmitter's endpoints on a restify server of their own, behind an HTTPS front, with signing
// keys made for the test: what a receiver stand-in fetches metadata and JWKS from.
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import * as restify from 'restify';
import type { Clock } from '../../src/core/clock';
import { systemClock } from '../../src/core/clock';
import type { SsfSettings } from '../../src/ssf/ssf-settings';
import { mountSsfRoutes } from '../../src/ssf/ssf-routes';
import { SsfTransmitter } from '../../src/ssf/transmitter';
import { captureLogger } from './capture-logger';
import { tlsFront } from './ssf-receiver-standin/tls-front';

/** A new key pair; the private key written as PKCS#8 PEM (or JWK), the public one as SPKI PEM. */
export function writeKeyPair(
  dir: string,
  name: string,
  kind: 'rsa' | 'ec' = 'rsa',
  form: 'pem' | 'jwk' = 'pem',
): { privateFile: string; publicFile: string } {
  const pair =
    kind === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const privateFile = join(dir, `${name}.${form === 'pem' ? 'pem' : 'jwk'}`);
  writeFileSync(
    privateFile,
    form === 'pem'
      ? pair.privateKey.export({ type: 'pkcs8', format: 'pem' })
      : JSON.stringify(pair.privateKey.export({ format: 'jwk' })),
  );
  const publicFile = join(dir, `${name}.pub.pem`);
  writeFileSync(publicFile, pair.publicKey.export({ type: 'spki', format: 'pem' }));
  return { privateFile, publicFile };
}

export interface TransmitterHarness {
  transmitter: SsfTransmitter;
  issuer: string;
  stop(): Promise<void>;
}

/** `settings` without the issuer, which is the HTTPS front's origin once it listens. */
export async function startTransmitter(
  settings: Omit<SsfSettings, 'issuer'>,
  options: { clock?: Clock } = {},
): Promise<TransmitterHarness> {
  const server = restify.createServer({ name: 'ssf-test' });
  server.use(restify.plugins.bodyParser({ mapParams: false, rejectUnknown: true }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const front = await tlsFront((server.address() as AddressInfo).port);
  const transmitter = new SsfTransmitter(
    { ...settings, issuer: front.origin },
    { clock: options.clock ?? systemClock },
  );
  mountSsfRoutes(server, transmitter, captureLogger());
  return {
    transmitter,
    issuer: front.origin,
    async stop() {
      await front.close();
      server.close();
    },
  };
}
