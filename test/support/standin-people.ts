// People of the Entra/Graph stand-in as the Teams edge sees them: a directory user with the
// channel account id Teams would give them.
import type { Person } from '../../src/core/model';
import type { EntraStandin } from './entra-standin';

export function addStandinPerson(standin: EntraStandin, upn: string, name: string): Person {
  const user = standin.state.addUser({ userPrincipalName: upn, displayName: name });
  return { id: user.id, name, upn, channelAccountId: `29:1${upn.split('.')[0] ?? ''}-teams` };
}
