// The help line of `users …`, on its own so the general USAGE can list it without parse-command and
// parse-batch-command importing each other (a cycle would leave one of the two undefined at load).
export const BATCH_USAGE =
  '• `users <upn> <upn> … <reason>`: revoke many users at once behind one approval (or attach a CSV with one UPN per line and write `users <reason>`; at most 1,000)';
