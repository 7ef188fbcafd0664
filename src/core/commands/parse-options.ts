// The options of `user` and `plan user`: how a request revokes. They come straight after the
// address and before the reason, each at most once; a word that looks like an option anywhere
// else is refused rather than silently read as part of the reason, so a typo never changes what
// is revoked without the requester noticing.
import type { RevocationOptions, RevocationProfile } from '../model';

export interface ParsedOptions {
  /** Absent when not given: the service's default (termination). */
  profile?: RevocationProfile;
  /** Absent when no option step was asked for. */
  options?: RevocationOptions;
  /** The words after the options. */
  rest: string[];
}

export const PROFILES: readonly RevocationProfile[] = ['termination', 'compromised'];

export const OPTIONS_USAGE =
  'Options (after the address): `--profile termination` (default) or `--profile compromised` (short: `--compromised`), `--retire-devices`.';

/** Returns the options, or a message saying what is wrong with them. */
export function parseRequestOptions(words: readonly string[]): ParsedOptions | { error: string } {
  let profile: RevocationProfile | undefined;
  let retire = false;
  let index = 0;
  const setProfile = (value: string | undefined): string | undefined => {
    if (profile !== undefined) return 'Give the profile only once.';
    const wanted = (value ?? '').toLowerCase() as RevocationProfile;
    if (!PROFILES.includes(wanted)) {
      return `The profile must be ${PROFILES.map((p) => `\`${p}\``).join(' or ')}.`;
    }
    profile = wanted;
    return undefined;
  };
  for (; index < words.length; index++) {
    const word = (words[index] ?? '').toLowerCase();
    if (!word.startsWith('--')) break;
    let error: string | undefined;
    if (word === '--profile') {
      index++;
      error = setProfile(words[index]);
    } else if (word.startsWith('--profile=')) {
      error = setProfile(word.slice('--profile='.length));
    } else if (word === '--compromised') {
      error = setProfile('compromised');
    } else if (word === '--retire-devices') {
      error = retire ? 'Give `--retire-devices` only once.' : undefined;
      retire = true;
    } else {
      error = `Unknown option \`${word.slice(0, 40).replace(/`/g, '\u02cb')}\`.`;
    }
    if (error) return { error: `${error} ${OPTIONS_USAGE}` };
  }
  const rest = words.slice(index);
  if (rest.some((word) => word.startsWith('--'))) {
    return { error: `Options go right after the address, before the reason. ${OPTIONS_USAGE}` };
  }
  const parsed: ParsedOptions = { rest };
  if (profile !== undefined) parsed.profile = profile;
  if (retire) parsed.options = { retireDevices: true };
  return parsed;
}
