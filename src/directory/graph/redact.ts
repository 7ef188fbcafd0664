// Last line of defence: whatever text reaches a DirectoryError message passes through here, so a
// secret echoed by some layer below never reaches logs, cards or the audit trail.

const BEARER = /\b(Bearer\s+)[A-Za-z0-9\-_.~+/]+=*/gi;
const JWT = /\beyJ[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]*/g;

export type Redactor = (text: string) => string;

export function makeRedactor(secrets: readonly (string | undefined)[]): Redactor {
  const known = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4);
  return (text) => {
    let out = text.replace(BEARER, '$1[redacted]').replace(JWT, '[redacted-token]');
    for (const secret of known) out = out.split(secret).join('[redacted]');
    return out;
  };
}
