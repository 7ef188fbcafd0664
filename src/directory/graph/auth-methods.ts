// Graph's authentication method types: the path segment each is deleted under, and a label a
// person recognises the method by on the card.
import type { AuthMethod } from '../../core/containment-ports';
import type { Json } from './mapping';

const PATHS: Record<string, string> = {
  microsoftAuthenticatorAuthenticationMethod: 'microsoftAuthenticatorMethods',
  phoneAuthenticationMethod: 'phoneMethods',
  fido2AuthenticationMethod: 'fido2Methods',
  windowsHelloForBusinessAuthenticationMethod: 'windowsHelloForBusinessMethods',
  softwareOathAuthenticationMethod: 'softwareOathMethods',
  emailAuthenticationMethod: 'emailMethods',
  temporaryAccessPassAuthenticationMethod: 'temporaryAccessPassMethods',
  platformCredentialAuthenticationMethod: 'platformCredentialMethods',
};

/** Where a method of this type is deleted, e.g. `phoneMethods`; undefined when Graph has none. */
export function authMethodPath(type: string): string | undefined {
  return PATHS[type];
}

function text(json: Json, key: string): string | undefined {
  const value = json[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Only the last digits: the card is seen by the whole channel. */
function maskedPhone(number: string | undefined): string {
  const digits = (number ?? '').replace(/\D/g, '');
  return digits.length >= 2 ? `phone ending in ${digits.slice(-2)}` : 'phone';
}

function label(type: string, json: Json): string {
  const name = text(json, 'displayName');
  switch (type) {
    case 'microsoftAuthenticatorAuthenticationMethod':
      return `Microsoft Authenticator on ${name ?? text(json, 'deviceTag') ?? 'a device'}`;
    case 'phoneAuthenticationMethod':
      return `${text(json, 'phoneType') ?? 'phone'}: ${maskedPhone(text(json, 'phoneNumber'))}`;
    case 'fido2AuthenticationMethod':
      return `security key ${text(json, 'model') ?? name ?? ''}`.trim();
    case 'windowsHelloForBusinessAuthenticationMethod':
      return `Windows Hello on ${name ?? 'a device'}`;
    case 'softwareOathAuthenticationMethod':
      return 'authenticator app (OATH code)';
    case 'emailAuthenticationMethod':
      return 'email one-time code';
    case 'temporaryAccessPassAuthenticationMethod':
      return 'Temporary Access Pass';
    case 'passwordAuthenticationMethod':
      return 'password';
    default:
      return name ?? type;
  }
}

export function toAuthMethod(json: Json): AuthMethod | undefined {
  const id = text(json, 'id');
  const odataType = text(json, '@odata.type');
  if (!id || !odataType) return undefined;
  const type = odataType.replace(/^#microsoft\.graph\./, '');
  const method: AuthMethod = { id, type, label: label(type, json) };
  const created = text(json, 'createdDateTime');
  if (created !== undefined) method.createdAt = created;
  return method;
}
