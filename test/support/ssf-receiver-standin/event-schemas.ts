// What a receiver checks of each event's members, as CAEP 1.0 and RISC 1.0 define them (required
// members, closed value lists). Returns what is wrong, or undefined.

const CAEP = 'https://schemas.openid.net/secevent/caep/event-type/';
const RISC = 'https://schemas.openid.net/secevent/risc/event-type/';
const SSF = 'https://schemas.openid.net/secevent/ssf/event-type/';

const INITIATING = ['admin', 'user', 'policy', 'system'];
const CREDENTIAL_TYPES = [
  'password',
  'pin',
  'x509',
  'fido2-platform',
  'fido2-roaming',
  'fido-u2f',
  'verifiable-credential',
  'phone-voice',
  'phone-sms',
  'app',
];
const CHANGE_TYPES = ['create', 'revoke', 'update', 'delete'];

type Members = Record<string, unknown>;

function common(m: Members): string | undefined {
  if (m.event_timestamp !== undefined && typeof m.event_timestamp !== 'number')
    return 'event_timestamp must be a number';
  if (m.initiating_entity !== undefined && !INITIATING.includes(String(m.initiating_entity)))
    return `initiating_entity ${String(m.initiating_entity)} is not defined`;
  for (const key of ['reason_admin', 'reason_user'])
    if (m[key] !== undefined && (typeof m[key] !== 'object' || m[key] === null))
      return `${key} must be an object of language tags`;
  return undefined;
}

const SCHEMAS: Record<string, (m: Members) => string | undefined> = {
  [`${CAEP}session-revoked`]: common,
  [`${CAEP}credential-change`]: (m) =>
    common(m) ??
    (!CREDENTIAL_TYPES.includes(String(m.credential_type))
      ? `credential_type ${String(m.credential_type)} is missing or not defined`
      : !CHANGE_TYPES.includes(String(m.change_type))
        ? `change_type ${String(m.change_type)} is missing or not defined`
        : undefined),
  [`${RISC}account-disabled`]: (m) =>
    m.reason !== undefined && !['hijacking', 'bulk-account'].includes(String(m.reason))
      ? `reason ${String(m.reason)} is not defined`
      : undefined,
  [`${RISC}account-enabled`]: () => undefined,
  [`${SSF}verification`]: (m) =>
    m.state !== undefined && typeof m.state !== 'string' ? 'state must be a string' : undefined,
};

export function eventProblem(type: string, members: unknown): string | undefined {
  const schema = SCHEMAS[type];
  if (!schema) return `event type ${type} is not one this receiver accepts`;
  if (typeof members !== 'object' || members === null) return 'the event must be an object';
  return schema(members as Members);
}

export function subjectProblem(subject: unknown): string | undefined {
  if (typeof subject !== 'object' || subject === null) return 'sub_id is missing';
  const s = subject as Record<string, unknown>;
  switch (s.format) {
    case 'email':
      return typeof s.email === 'string' && s.email.includes('@') ? undefined : 'bad email sub_id';
    case 'iss_sub':
      return typeof s.iss === 'string' && typeof s.sub === 'string' ? undefined : 'bad iss_sub';
    case 'opaque':
      return typeof s.id === 'string' ? undefined : 'bad opaque sub_id';
    default:
      return `sub_id format ${String(s.format)} is not accepted`;
  }
}
