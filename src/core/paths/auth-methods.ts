// MFA methods, compromised profile only: the ones registered recently (an attacker's own) are
// removed after the disable, so none can be added in between; older ones and the password stay.
import type { AuthMethod } from '../containment-ports';
import type { RevocationRequest } from '../model';
import type { StepAction } from '../revocation/step-context';
import { requireContainment, requireSubject, verificationFailed } from '../revocation/step-helpers';
import { verified } from '../revocation/step-result';
import {
  cannotRestore,
  pendingStep,
  type AccessPath,
  type PlanPart,
  type ResidualLine,
} from './access-path';
import { ENTRA_ACCOUNT_STEP_IDS } from './entra-account';
import { containmentOrRefuse } from './gather-helpers';
import { stepsOfKind, succeeded } from './residual-helpers';

export const AUTH_METHOD_KINDS = { remove: 'entra.removeAuthMethod' } as const;

/** Methods registered within this many days count as possibly attacker-added, unless configured. */
const DEFAULT_RECENT_DAYS = 7;

// The password is not an MFA method and Graph refuses to delete it; it is reset instead.
const NEVER_REMOVED = new Set(['passwordAuthenticationMethod']);

export interface AuthMethodInventory {
  /** Every method the user has; the plan picks the recent ones. */
  authMethods: AuthMethod[];
  mfaRecentDays: number;
  /** When the plan is made (ISO 8601): "recent" is counted back from here. */
  now: string;
}

/** Methods registered within the last `days` days: the ones an attacker may have added. */
export function recentAuthMethods(
  methods: readonly AuthMethod[],
  now: Date,
  days: number,
): { recent: AuthMethod[]; undated: AuthMethod[] } {
  const since = now.getTime() - days * 86_400_000;
  const candidates = methods.filter((m) => !NEVER_REMOVED.has(m.type));
  return {
    recent: candidates.filter((m) => m.createdAt !== undefined && Date.parse(m.createdAt) >= since),
    undated: candidates.filter((m) => m.createdAt === undefined),
  };
}

const actions = {
  [AUTH_METHOD_KINDS.remove]: async (context) => {
    const { target, retrying, remember } = context;
    const graph = requireContainment(context);
    const subject = requireSubject(context);
    const type = subject.type ?? '';
    const present = async () =>
      (await retrying(() => graph.listAuthMethods(target.id))).some((m) => m.id === subject.id);
    const was = await present();
    await remember({ wasPresent: was });
    if (was) await retrying(() => graph.deleteAuthMethod(target.id, { id: subject.id, type }));
    if (await present()) throw verificationFailed(`${subject.name} is still registered.`);
    return verified(was ? `${subject.name} removed` : `${subject.name} was already gone`);
  },
} satisfies Record<string, StepAction>;

export const authMethodsPath: AccessPath<AuthMethodInventory> = {
  name: 'auth-methods',
  title: 'Recently registered MFA methods',
  actions,

  async gather(context) {
    if (context.profile !== 'compromised') return undefined;
    const containment = containmentOrRefuse(context);
    const { retrying, user, settings, now } = context;
    return {
      authMethods: await retrying(() => containment.listAuthMethods(user.id)),
      mfaRecentDays: settings.mfaRecentDays ?? DEFAULT_RECENT_DAYS,
      now: now.toISOString(),
    };
  },

  plan(inventory): PlanPart {
    const { recent, undated } = recentAuthMethods(
      inventory.authMethods,
      new Date(inventory.now),
      inventory.mfaRecentDays,
    );
    const steps = recent.map((method) => ({
      ...pendingStep(
        `auth-method-${method.id}`,
        AUTH_METHOD_KINDS.remove,
        `Remove MFA method ${method.label}`,
        // After the disable, so the attacker cannot register another one in between.
        [ENTRA_ACCOUNT_STEP_IDS.disable],
      ),
      subject: { id: method.id, name: method.label, type: method.type },
    }));
    const kept = inventory.authMethods.length - recent.length;
    const notes = [
      recent.length === 0
        ? `No MFA method was registered in the last ${inventory.mfaRecentDays} days: none is removed.`
        : `MFA methods registered in the last ${inventory.mfaRecentDays} days are removed (possibly added by the attacker); ${kept} older method(s) and the password are kept.`,
    ];
    if (undated.length > 0) {
      notes.push(
        `Graph gives no registration date for ${undated.map((m) => m.label).join(', ')}: kept; check them by hand.`,
      );
    }
    return { steps, notes };
  },

  restore: cannotRestore(
    AUTH_METHOD_KINDS.remove,
    'Removed MFA methods are not restored: the user registers them again.',
  ),

  residual: { rank: 50, lines: (request) => olderMethodsLines(request) },

  graph: [
    { operations: ['listAuthMethods'], onlyFor: 'the compromised profile' },
    { operations: ['deleteAuthMethod'], onlyFor: 'the compromised profile' },
  ],
};

function olderMethodsLines(request: RevocationRequest): ResidualLine[] {
  if (request.profile !== 'compromised') return [];
  const removed = stepsOfKind(request, AUTH_METHOD_KINDS.remove).filter(succeeded);
  return [
    {
      what: 'MFA methods registered before the recent window',
      until: 'kept; they matter again only if the account is re-enabled',
      revokeDid: `removed ${removed.length} recently registered method(s)`,
      adminCan: 'review the remaining methods before any restore',
    },
  ];
}
