// The help line of `users …`, on its own so the general USAGE can list it without parse-command and
// parse-batch-command importing each other (a cycle would leave one of the two undefined at load).
import { usageLine, type CommandHelp } from '../commands/usage-line';

export const BATCH_HELP: CommandHelp = {
  syntax: ['users <upn> <upn> … <reason>'],
  what: 'revoke many users at once behind one approval (or attach a CSV with one UPN per line and write users followed by the reason; at most 1,000)',
};

export const BATCH_USAGE = usageLine(BATCH_HELP);
