#!/usr/bin/env node
// `revoke <command>`: operator tools next to the bot. `revoke doctor` checks the whole set-up
// against the real systems and changes nothing; `revoke audit` verifies or exports the trail.
import { runAuditCli } from './audit';
import { formatReport, exitCode } from '../doctor/report';
import { runDoctor } from '../doctor/run-doctor';
import { projectRoot } from '../project-root';

const USAGE = `Usage: revoke doctor | revoke audit verify [--anchor <hash>] | revoke audit export [--since <time>]

  doctor   Check the configuration (from the environment), Entra ID token and permissions,
           the approver and protected groups, on-premises AD (TLS, bind, delegated rights),
           the request store and the Teams manifest. Read-only. Exit code 0 when nothing failed.
  audit    verify: check the audit trail's keyed hash chain in DATABASE_URL's database with
           AUDIT_KEY (and AUDIT_KEY_PREVIOUS); exit 1 when broken. With --anchor, also that the
           record with that hash (from an earlier verify, or the newest line of the AUDIT_SINK
           copy in the SIEM) is still there, which catches a trail cut short.
           export: print the records as JSON lines, optionally only those --since an ISO time.`;

async function main(argv: string[]): Promise<number> {
  const [command] = argv;
  if (command === 'doctor') {
    const results = await runDoctor(process.env, projectRoot());
    process.stdout.write(`${formatReport(results)}\n`);
    return exitCode(results);
  }
  if (command === 'audit') {
    return runAuditCli(argv.slice(1), process.env, (line) => process.stdout.write(`${line}\n`));
  }
  process.stderr.write(`${USAGE}\n`);
  return command === undefined || command === '--help' || command === '-h' ? 0 : 2;
}

main(process.argv.slice(2)).then(
  // Exit explicitly: HTTP keep-alive sockets of the Graph client would hold the process open.
  (code) => {
    process.stdout.write('', () => process.exit(code));
  },
  (error: unknown) => {
    process.stderr.write(`revoke: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
