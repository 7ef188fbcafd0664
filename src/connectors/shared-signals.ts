// Shared Signals (OpenID SSF 1.0): Revoke as a transmitter of CAEP and RISC events. Configured by
// SSF_ISSUER (the bot's public https origin) and SSF_SIGNING_KEY; receivers come from SSF_RECEIVERS
// (static) and from the streams the clients in SSF_STREAM_CLIENTS create. Every token is read from
// a variable the JSON names, so no secret sits in the JSON itself. The sandbox has no receiver:
// it would have to push to some URL, and a sandbox reaches nothing real.
import { systemClock } from '../core/clock';
import { SHARED_SIGNALS, REVOCATION_EVENTS, type SubjectFormat } from '../core/saas/ssf-port';
import { fail, ok, type CheckResult } from '../doctor/check-result';
import type { EnvReader } from '../env-reader';
import { readKey } from '../ssf/signing-keys';
import type { SsfSettings, StaticReceiver, StreamClient } from '../ssf/ssf-settings';
import { SsfTransmitter } from '../ssf/transmitter';
import type { ConnectorSetup } from './connector-setup';

const FORMATS: readonly SubjectFormat[] = ['email', 'iss_sub', 'opaque'];

export const sharedSignalsSetup: ConnectorSetup<SsfSettings> = {
  name: 'shared-signals',
  variables: [
    'SSF_ISSUER',
    'SSF_SIGNING_KEY',
    'SSF_PREVIOUS_KEYS',
    'SSF_RECEIVERS',
    'SSF_STREAM_CLIENTS',
    'SSF_PUSH_TIMEOUT_MS',
  ],

  read(read) {
    const issuer = read.optional('SSF_ISSUER');
    if (issuer === undefined) return undefined;
    if (!isHttpsOrigin(issuer))
      read.problem(
        'SSF_ISSUER must be the https origin receivers reach this bot at, with no path (e.g. https://revoke.contoso.com).',
      );
    const signingKeyFile = read.required(
      'SSF_SIGNING_KEY',
      'the PEM or JWK file of the key that signs Security Event Tokens',
    );
    const previousKeyFiles = read.list('SSF_PREVIOUS_KEYS');
    checkKey(read, 'SSF_SIGNING_KEY', signingKeyFile, 'private');
    for (const file of previousKeyFiles) checkKey(read, 'SSF_PREVIOUS_KEYS', file, 'public');
    const receivers = jsonList(read, 'SSF_RECEIVERS').flatMap(
      (entry, n) => staticReceiver(read, entry, n) ?? [],
    );
    const clients = jsonList(read, 'SSF_STREAM_CLIENTS').flatMap(
      (entry, n) => streamClient(read, entry, n) ?? [],
    );
    const names = [...receivers.map((r) => r.name), ...clients.map((c) => c.name)];
    const twice = names.filter((name, i) => names.indexOf(name) !== i);
    if (twice.length > 0)
      read.problem(
        `Shared Signals receiver names must be unique (${[...new Set(twice)].join(', ')}).`,
      );
    if (receivers.length === 0 && clients.length === 0)
      read.problem(
        'SSF_ISSUER is set but no receiver is: set SSF_RECEIVERS or SSF_STREAM_CLIENTS.',
      );
    return {
      issuer: issuer.replace(/\/$/, ''),
      signingKeyFile,
      previousKeyFiles,
      receivers,
      clients,
      pushTimeoutMs: read.integer('SSF_PUSH_TIMEOUT_MS', 10_000, 1_000, 60_000),
    };
  },

  connect(settings, connectors) {
    connectors.set(SHARED_SIGNALS, new SsfTransmitter(settings, { clock: systemClock }));
  },

  // None: see the header.
  sandbox: () => undefined,

  doctor: (settings) => checkReceivers(new SsfTransmitter(settings, { clock: systemClock })),

  describe: (settings) => ({
    issuer: settings.issuer,
    receivers: settings.receivers.map((r) => r.name).join(', '),
    streamClients: settings.clients.map((c) => c.name).join(', '),
    previousKeys: String(settings.previousKeyFiles.length),
  }),
};

/**
 * Sends each static receiver a verification event (SSF 1.0 §8.1.4): reachability, the push token
 * and the receiver's check of our signature, without revoking anyone. Streams a receiver created
 * are verified by the receiver itself, through the verification endpoint.
 */
export async function checkReceivers(transmitter: SsfTransmitter): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  try {
    await transmitter.signingKeys();
    results.push(
      ok('Shared Signals signing key', 'SSF_SIGNING_KEY loads and is published in the JWKS'),
    );
  } catch (error) {
    return [
      fail(
        'Shared Signals signing key',
        messageOf(error),
        'Point SSF_SIGNING_KEY at an RSA (2048+) or P-256 private key, PEM or JWK.',
      ),
    ];
  }
  for (const receiver of transmitter.settings.receivers) {
    const name = `Shared Signals receiver ${receiver.name}`;
    try {
      await transmitter.sendVerification(receiver.name, `doctor-${Date.now()}`);
      results.push(ok(name, `accepted a verification event (202) at ${receiver.pushUrl}`));
    } catch (error) {
      const advice = (error as { advice?: unknown }).advice;
      results.push(
        fail(
          name,
          `did not accept a verification event: ${messageOf(error)}`,
          typeof advice === 'string'
            ? advice
            : `Check that ${receiver.pushUrl} is reachable and that the receiver trusts ${transmitter.settings.issuer}.`,
        ),
      );
    }
  }
  return results;
}

function staticReceiver(
  read: EnvReader,
  entry: Record<string, unknown>,
  n: number,
): StaticReceiver | undefined {
  const where = `SSF_RECEIVERS[${n}]`;
  const name = text(read, entry, 'name', where);
  const pushUrl = text(read, entry, 'pushUrl', where);
  const audience = text(read, entry, 'audience', where);
  if (pushUrl !== undefined && !isHttpsUrl(pushUrl))
    read.problem(`${where}.pushUrl must be an https URL (the receiver's RFC 8935 push endpoint).`);
  const events = entry.events;
  if (
    events !== undefined &&
    (!Array.isArray(events) ||
      !events.every((e) => typeof e === 'string' && REVOCATION_EVENTS.includes(e)))
  )
    read.problem(`${where}.events must list event types among ${REVOCATION_EVENTS.join(', ')}.`);
  if (name === undefined || pushUrl === undefined || audience === undefined) return undefined;
  return {
    name,
    pushUrl,
    audience,
    pushToken: tokenFrom(read, entry, 'tokenVariable', where, false),
    ...subjectSettings(read, entry, where),
    events: Array.isArray(events) ? (events as string[]) : [...REVOCATION_EVENTS],
  };
}

function streamClient(
  read: EnvReader,
  entry: Record<string, unknown>,
  n: number,
): StreamClient | undefined {
  const where = `SSF_STREAM_CLIENTS[${n}]`;
  const name = text(read, entry, 'name', where);
  const audience = text(read, entry, 'audience', where);
  const token = tokenFrom(read, entry, 'tokenVariable', where, true);
  if (token !== undefined && token.length < 32)
    read.problem(
      `${where}: the management token in ${String(entry.tokenVariable)} must be at least 32 characters.`,
    );
  if (name === undefined || audience === undefined || token === undefined) return undefined;
  return {
    name,
    audience,
    token,
    pushToken: tokenFrom(read, entry, 'pushTokenVariable', where, false),
    ...subjectSettings(read, entry, where),
  };
}

function subjectSettings(
  read: EnvReader,
  entry: Record<string, unknown>,
  where: string,
): { subjectFormat: SubjectFormat; subjectIssuer?: string } {
  const format = entry.subjectFormat ?? 'email';
  if (!FORMATS.includes(format as SubjectFormat)) {
    read.problem(`${where}.subjectFormat must be one of ${FORMATS.join(', ')}.`);
    return { subjectFormat: 'email' };
  }
  const issuer = entry.subjectIssuer;
  if (format === 'iss_sub' && typeof issuer !== 'string')
    read.problem(
      `${where}.subjectIssuer is required with subjectFormat iss_sub (e.g. https://login.microsoftonline.com/<tenant id>/v2.0).`,
    );
  return {
    subjectFormat: format as SubjectFormat,
    ...(typeof issuer === 'string' ? { subjectIssuer: issuer } : {}),
  };
}

/** A token is read from the variable the entry names, never written in the JSON itself. */
function tokenFrom(
  read: EnvReader,
  entry: Record<string, unknown>,
  key: string,
  where: string,
  required: boolean,
): string | undefined {
  const variable = entry[key];
  if (variable === undefined) {
    if (required)
      read.problem(`${where}.${key} is required: the name of the variable holding the token.`);
    return undefined;
  }
  if (typeof variable !== 'string' || !/^[A-Z][A-Z0-9_]*$/.test(variable)) {
    read.problem(
      `${where}.${key} must be the NAME of an environment variable (e.g. SSF_OKTA_TOKEN).`,
    );
    return undefined;
  }
  const token = read.optional(variable);
  if (token === undefined) read.problem(`${variable} (named by ${where}.${key}) is not set.`);
  return token;
}

function text(
  read: EnvReader,
  entry: Record<string, unknown>,
  key: string,
  where: string,
): string | undefined {
  const value = entry[key];
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  read.problem(`${where}.${key} is required.`);
  return undefined;
}

function jsonList(read: EnvReader, name: string): Record<string, unknown>[] {
  const raw = read.optional(name);
  if (raw === undefined) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    if (
      Array.isArray(parsed) &&
      parsed.every((e) => typeof e === 'object' && e !== null && !Array.isArray(e))
    )
      return parsed as Record<string, unknown>[];
  } catch {
    // Said below, without echoing the value.
  }
  read.problem(`${name} must be a JSON array of objects.`);
  return [];
}

function checkKey(read: EnvReader, name: string, file: string, want: 'private' | 'public'): void {
  if (file === '') return;
  try {
    readKey(file, want);
  } catch (error) {
    read.problem(`${name}: ${messageOf(error)}`);
  }
}

function isHttpsOrigin(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (
      parsed.protocol === 'https:' &&
      (parsed.pathname === '/' || parsed.pathname === '') &&
      !parsed.search
    );
  } catch {
    return false;
  }
}

function isHttpsUrl(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
