// A message that is not a command Revoke understands. The reason and the usage are kept apart so
// the Teams edge can show the usage as the help card (where `<reason>` stays plain text) instead of
// a Markdown list that Teams runs into one paragraph; `message` still carries both for plain text.
import { RequestRefused } from '../errors';

export class CommandRefused extends RequestRefused {
  constructor(
    /** What was wrong with the message, without the usage. */
    readonly reason: string,
    usage: string,
  ) {
    super('bad_command', `${reason}\n\n${usage}`);
    this.name = 'CommandRefused';
  }
}
