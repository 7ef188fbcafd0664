// The GitHub path as pure functions and actions over in-memory connectors: what it plans and why
// not, what its steps do and read back, what a restore does and does not, and its residual line.
import { strict as assert } from 'node:assert';
import { DirectoryError } from '../../../src/core/errors';
import type { DirectoryUser, RevocationRequest, Step, StepFacts } from '../../../src/core/model';
import type { GatherContext } from '../../../src/core/paths/access-path';
import { Connectors } from '../../../src/core/paths/connectors';
import {
  githubPath,
  invitationsOf,
  planGithub,
  restoreGithub,
  type GithubInventory,
} from '../../../src/core/paths/github';
import { GITHUB_KINDS, GITHUB_STEP_IDS } from '../../../src/core/paths/github-kinds';
import { githubResidualLines } from '../../../src/core/paths/github-residual';
import type { StepContext } from '../../../src/core/revocation/step-context';
import type { StepResult } from '../../../src/core/revocation/step-result';
import {
  GITHUB,
  type GithubDirectory,
  type GithubEnterprise,
  type GithubManagedUser,
} from '../../../src/core/saas/github-port';
import { SandboxGithubOrganisation } from '../../../src/directory/sandbox/sandbox-github';
import { aRequest } from '../../support/builders';

const ALICE = 'alice.johnson@contoso.com';
const LOGIN = 'alice-johnson-contoso';

function organisation(): SandboxGithubOrganisation {
  return new SandboxGithubOrganisation([
    { id: 'u-alice', name: 'Alice Johnson', upn: ALICE },
    { id: 'u-bob', name: 'Bob Smith', upn: 'bob.smith@contoso.com' },
  ]);
}

class MemoryEnterprise implements GithubEnterprise {
  readonly mode = 'emu' as const;
  readonly enterprise = 'contoso-emu';
  readonly users = new Map<string, GithubManagedUser>([
    ['scim-1', { scimId: 'scim-1', userName: ALICE, active: true }],
  ]);
  /** Set: the PATCH is accepted but changes nothing (a read-back must catch it). */
  ignoreWrites = false;
  findManagedUser(upn: string) {
    const user = [...this.users.values()].find((u) => u.userName === upn);
    return Promise.resolve(user ?? { none: 'none' });
  }
  getManagedUser(id: string) {
    const user = this.users.get(id);
    return Promise.resolve(user ? { ...user } : undefined);
  }
  setManagedUserActive(id: string, active: boolean) {
    const user = this.users.get(id);
    if (user && !this.ignoreWrites) user.active = active;
    return Promise.resolve();
  }
}

function gatherContext(github: GithubDirectory | undefined): GatherContext {
  const user = { id: 'u-alice', userPrincipalName: ALICE } as DirectoryUser;
  return {
    directory: undefined as never,
    connectors: github ? new Connectors().set(GITHUB, github) : new Connectors(),
    user,
    profile: 'termination',
    options: { retireDevices: false },
    settings: { onPremConfigured: false },
    now: new Date('2026-12-04T12:00:00Z'),
    retrying: (operation) => operation(),
    shared: (_key, lookup) => lookup(),
  };
}

function planned(inventory: GithubInventory, entraDisable = true): Step[] {
  return planGithub(inventory, { planned: new Set(entraDisable ? ['entra-disable'] : []) }).steps;
}

async function run(
  github: GithubDirectory,
  step: Step,
): Promise<{ result: StepResult; facts: StepFacts }> {
  const facts: StepFacts = {};
  const context: StepContext = {
    directory: undefined as never,
    connectors: new Connectors().set(GITHUB, github),
    target: {
      id: 'u-alice',
      userPrincipalName: ALICE,
      displayName: 'Alice Johnson',
      onPremisesSynced: false,
      deviceCount: 0,
    },
    step,
    retrying: (operation) => operation(),
    remember: (more) => {
      for (const [key, value] of Object.entries(more)) if (!(key in facts)) facts[key] = value;
      return Promise.resolve();
    },
  };
  const action = githubPath.actions[step.kind];
  assert.ok(action, step.kind);
  return { result: await action(context), facts };
}

function finished(
  step: Step,
  facts: StepFacts,
  status: Step['status'] = 'succeeded',
): RevocationRequest {
  return aRequest({
    steps: [{ ...step, status, facts, finishedAt: '2026-12-04T12:01:00Z' }],
  });
}

describe('the GitHub access path', () => {
  describe('gather and plan', () => {
    it('plans the removal of the linked login, after the Entra disable, naming login and organisation', async () => {
      const inventory = await githubPath.gather(gatherContext(organisation()));
      assert.deepEqual(inventory, { mode: 'org', org: 'contoso-demo', login: LOGIN });
      const [step, ...more] = planned(inventory as GithubInventory);
      assert.equal(more.length, 0);
      assert.equal(step?.id, GITHUB_STEP_IDS.removeMember);
      assert.equal(step?.kind, GITHUB_KINDS.removeMember);
      assert.deepEqual(step?.dependsOn, ['entra-disable']);
      assert.deepEqual(step?.subject, { id: LOGIN, name: `GitHub ${LOGIN}`, type: 'contoso-demo' });
      assert.match(
        step?.title ?? '',
        /Remove GitHub account alice-johnson-contoso from the organisation contoso-demo/,
      );
      assert.deepEqual(planned(inventory as GithubInventory, false)[0]?.dependsOn, []);
    });

    it('plans the SCIM suspension of the managed user in EMU mode', async () => {
      const inventory = await githubPath.gather(gatherContext(new MemoryEnterprise()));
      const [step] = planned(inventory as GithubInventory);
      assert.equal(step?.kind, GITHUB_KINDS.suspendUser);
      assert.deepEqual(step?.subject, {
        id: 'scim-1',
        name: `GitHub ${ALICE}`,
        type: 'contoso-emu',
      });
      assert.match(
        step?.title ?? '',
        /Suspend the GitHub managed user alice\.johnson@contoso\.com in the enterprise contoso-emu \(SCIM\)/,
      );
    });

    it('plans nothing without the connector, and nothing but a note when there is no account, two, or no answer', async () => {
      assert.equal(await githubPath.gather(gatherContext(undefined)), undefined);

      const nobody = organisation();
      nobody.identities.clear();
      const none = (await githubPath.gather(gatherContext(nobody))) as GithubInventory;
      assert.deepEqual(planGithub(none, { planned: new Set() }), {
        steps: [],
        notes: [
          `GitHub: nothing planned: no GitHub account in contoso-demo is linked to ${ALICE}.`,
        ],
      });

      const twins = organisation();
      twins.findLogin = () =>
        Promise.reject(
          new DirectoryError(
            'rejected',
            '2 GitHub accounts in contoso-demo are linked to alice (a, b); Revoke will not guess which one is meant.',
            {
              code: 'ambiguous',
            },
          ),
        );
      const ambiguous = planGithub(
        (await githubPath.gather(gatherContext(twins))) as GithubInventory,
        {
          planned: new Set(),
        },
      );
      assert.deepEqual(ambiguous.steps, []);
      assert.match(
        ambiguous.notes[0] ?? '',
        /^GitHub: nothing planned: 2 GitHub accounts .* will not guess .* Remove the right account by hand\.$/,
      );

      const down = organisation();
      down.findLogin = () =>
        Promise.reject(
          new DirectoryError('permission', 'GitHub answered 401', {
            advice: 'The token in GITHUB_ADMIN_TOKEN is not valid.',
          }),
        );
      const unread = planGithub((await githubPath.gather(gatherContext(down))) as GithubInventory, {
        planned: new Set(),
      });
      assert.match(
        unread.notes[0] ?? '',
        /GitHub could not be read before approval \(GitHub answered 401\)\. The token in GITHUB_ADMIN_TOKEN is not valid\./,
      );
    });
  });

  describe('removing an organisation member', () => {
    it('records the role, removes the member, cancels the invitation to the UPN, and reads it back; again is harmless', async () => {
      const github = organisation();
      github.invitations.push(
        { id: 77, login: LOGIN },
        { id: 78, email: 'someone.else@contoso.com' },
      );
      const [step] = planned({ mode: 'org', org: github.org, login: LOGIN });
      assert.ok(step);
      const { result, facts } = await run(github, step);
      assert.deepEqual(result, {
        outcome: `removed ${LOGIN} from contoso-demo (was a member); cancelled 2 pending invitation(s); membership 404 read back`,
        verification: { state: 'verified' },
      });
      assert.equal(facts['wasMember'], true);
      assert.equal(facts['role'], 'member');
      assert.equal(facts['invitationsCancelled'], 2);
      assert.equal(github.members.has(LOGIN), false);
      assert.deepEqual(
        github.invitations.map((i) => i.id),
        [78],
        'only the invitations of this person',
      );

      const again = await run(github, step);
      assert.equal(
        again.result.outcome,
        `${LOGIN} was not a member of contoso-demo; membership 404 read back`,
      );
    });

    it('fails when the read-back still shows the member', async () => {
      const github = organisation();
      github.removeMember = () => Promise.resolve();
      const [step] = planned({ mode: 'org', org: github.org, login: LOGIN });
      assert.ok(step);
      await assert.rejects(
        run(github, step),
        /Verification failed: contoso-demo still lists alice-johnson-contoso as a member/,
      );
    });

    it('never acts in an organisation other than the one approved', async () => {
      const github = organisation();
      const [step] = planned({ mode: 'org', org: 'another-org', login: LOGIN });
      assert.ok(step);
      await assert.rejects(run(github, step), (error: unknown) => {
        assert.ok(error instanceof DirectoryError);
        assert.equal(error.kind, 'misconfigured');
        assert.match(
          error.message,
          /approved for the GitHub organisation another-org, but the configuration now names the organisation contoso-demo: nothing was changed/,
        );
        return true;
      });
      assert.ok(github.members.has(LOGIN));
    });
  });

  describe('suspending a managed user', () => {
    it('suspends, reads active=false back, records it was active; again says already suspended', async () => {
      const github = new MemoryEnterprise();
      const [step] = planned({
        mode: 'emu',
        enterprise: 'contoso-emu',
        scimId: 'scim-1',
        userName: ALICE,
      });
      assert.ok(step);
      const { result, facts } = await run(github, step);
      assert.equal(
        result.outcome,
        `suspended ${ALICE} in contoso-emu (SCIM active=false read back)`,
      );
      assert.equal(facts['wasActive'], true);
      assert.equal(github.users.get('scim-1')?.active, false);
      assert.equal(
        (await run(github, step)).result.outcome,
        `${ALICE} was already suspended in contoso-emu`,
      );
    });

    it('fails when GitHub still shows the user active', async () => {
      const github = new MemoryEnterprise();
      github.ignoreWrites = true;
      const [step] = planned({
        mode: 'emu',
        enterprise: 'contoso-emu',
        scimId: 'scim-1',
        userName: ALICE,
      });
      assert.ok(step);
      await assert.rejects(
        run(github, step),
        /Verification failed: contoso-emu still shows .* as active/,
      );
    });
  });

  describe('restore', () => {
    it('does not invite an organisation member back, and says how an owner can reinstate them', () => {
      const [step] = planned({ mode: 'org', org: 'contoso', login: 'octo-alice' });
      assert.ok(step);
      const part = restoreGithub(finished(step, { wasMember: true, role: 'admin' }), {
        planned: new Set(),
      });
      assert.deepEqual(part.steps, []);
      assert.equal(part.notRestored.length, 1);
      assert.match(
        part.notRestored[0] ?? '',
        /octo-alice is not invited back to contoso .* They were an owner; within three months .* "Reinstate"/,
      );
      assert.deepEqual(
        restoreGithub(finished(step, { wasMember: false }), { planned: new Set() }).notRestored,
        [],
        'nothing to say when they were not a member',
      );
    });

    it('reactivates a managed user that was active, after the Entra enable, and reads it back', async () => {
      const [step] = planned({
        mode: 'emu',
        enterprise: 'contoso-emu',
        scimId: 'scim-1',
        userName: ALICE,
      });
      assert.ok(step);
      const part = restoreGithub(finished(step, { wasActive: true, userName: ALICE }), {
        planned: new Set(['restore-entra-enable']),
      });
      const [reactivate] = part.steps;
      assert.equal(reactivate?.kind, GITHUB_KINDS.reactivateUser);
      assert.deepEqual(reactivate?.dependsOn, ['restore-entra-enable']);
      assert.deepEqual(
        restoreGithub(finished(step, { wasActive: false }), { planned: new Set() }).steps,
        [],
        'a user suspended before stays suspended',
      );
      const github = new MemoryEnterprise();
      (github.users.get('scim-1') as GithubManagedUser).active = false;
      assert.ok(reactivate);
      const { result } = await run(github, reactivate);
      assert.equal(
        result.outcome,
        `reactivated ${ALICE} in contoso-emu (SCIM active=true read back)`,
      );
      assert.equal(github.users.get('scim-1')?.active, true);
    });
  });

  describe('what may still work', () => {
    it('says the personal account, its tokens and keys live on outside the organisation', () => {
      const [step] = planned({ mode: 'org', org: 'contoso', login: 'octo-alice' });
      assert.ok(step);
      const [line] = githubResidualLines(finished(step, { wasMember: true }));
      assert.equal(
        line?.what,
        'GitHub: the personal account octo-alice, its personal access tokens and SSH keys',
      );
      assert.match(line?.until ?? '', /for good outside contoso/);
      assert.match(
        line?.revokeDid ?? '',
        /removed octo-alice from contoso at 2026-12-04 12:01 UTC \(membership 404 read back\)/,
      );
      assert.match(line?.adminCan ?? '', /local clones stay/);

      const [failed] = githubResidualLines(finished(step, {}, 'failed'));
      assert.match(failed?.what ?? '', /octo-alice's access to contoso/);
      assert.match(failed?.adminCan ?? '', /retry the failed steps/);
    });

    it('for a suspended managed user, only what is already downloaded', () => {
      const [step] = planned({
        mode: 'emu',
        enterprise: 'contoso-emu',
        scimId: 'scim-1',
        userName: ALICE,
      });
      assert.ok(step);
      const [line] = githubResidualLines(finished(step, { wasActive: true }));
      assert.match(line?.what ?? '', /clones and downloads already made/);
      assert.match(line?.revokeDid ?? '', /suspended the managed user in contoso-emu/);
      assert.deepEqual(githubResidualLines(aRequest({ steps: [] })), []);
    });
  });

  it('cancels the invitations to the login or to the UPN, case aside, and no others', () => {
    const all = [
      { id: 1, login: 'Octo-Alice' },
      { id: 2, email: 'ALICE.JOHNSON@contoso.com' },
      { id: 3, email: 'alice.johnson@contoso.com.evil' },
      { id: 4, login: 'octo-alice2' },
    ];
    assert.deepEqual(
      invitationsOf(all, 'octo-alice', ALICE).map((i) => i.id),
      [1, 2],
    );
  });
});
