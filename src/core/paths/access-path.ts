// What an access path is: one way a person can still reach company resources (an AD account, the
// Entra ID account, its sessions, its devices, an app) and everything Revoke knows about closing
// it, in one module. The plan builder, the engine, the restore, the residual report and the doctor
// iterate the registry of paths (registry.ts); none of them names a step kind.
import type {
  DirectoryUser,
  ResidualLifetimes,
  RevocationOptions,
  RevocationProfile,
  RevocationRequest,
  Step,
  TargetSnapshot,
} from '../model';
import type { StepAction } from '../revocation/step-context';
import type { PathPorts } from './path-ports';

/** Steps and the caveats the approvers must read with them. */
export interface PlanPart {
  steps: Step[];
  notes: string[];
  /**
   * Steps of this path that a step planned by a LATER path must wait for (`dependsOn` can only
   * name steps already planned). Ignored when either step is not in the plan.
   */
  runsBefore?: ReadonlyArray<{ step: string; before: string }>;
}

/** What a path settings come from; each path reads only its own. */
export interface PathSettings {
  onPremConfigured: boolean;
  /** Compromised profile: MFA methods registered within this many days are removed (default 7). */
  mfaRecentDays?: number;
  containmentGroupId?: string;
  /** Service principal ids of the enterprise apps Entra ID provisions (PROVISIONING_APPS). */
  provisioningAppIds?: string[];
}

/** What a path may read before approval to name exactly what it will touch. Nothing here writes. */
export interface GatherContext extends PathPorts {
  user: DirectoryUser;
  profile: RevocationProfile;
  options: RevocationOptions;
  settings: PathSettings;
  now: Date;
  retrying<T>(operation: () => Promise<T>): Promise<T>;
  /**
   * One look-up shared by every target of a preparation: a batch names its configured apps once
   * for all its members. `key` must be unique to the path.
   */
  shared<T>(key: string, lookup: () => Promise<T>): Promise<T>;
}

export interface PlanContext {
  target: TargetSnapshot;
  profile: RevocationProfile;
  /** Ids of the steps the paths before this one planned: "runs after" may name only those. */
  planned: ReadonlySet<string>;
}

/** What a restore after a false alarm does for one path, and what it cannot put back. */
export interface RestorePart extends PlanPart {
  /** Said after every path's own notes: what stays as the revocation left it, and why. */
  notRestored: string[];
}

export interface RestoreContext {
  /** Ids of the restore steps the paths before this one planned. */
  planned: ReadonlySet<string>;
}

/** One line of "What may still work" after a run. */
export interface ResidualLine {
  what: string;
  until: string;
  revokeDid: string;
  adminCan: string;
}

export interface ResidualReport {
  /** Where the line stands in the report: lower first (tokens, apps, devices, AD, MFA). */
  rank: number;
  lines(request: RevocationRequest, lifetimes: ResidualLifetimes): ResidualLine[];
}

/** A Microsoft Graph call a path makes, named as the Graph adapter's operation table names it. */
export interface GraphNeed {
  /** What the permission is for, as the doctor's line says it; absent: the operation's own action. */
  purpose?: string;
  operations: readonly string[];
  /** Set when only some requests need it: what uses it. Missing, it is a warning, not a failure. */
  onlyFor?: string;
  /** The step kind it serves, when it serves one. */
  step?: string;
}

/** The re-check that what the run disabled stayed disabled (the drift guard). */
export interface DriftWatch {
  /** The step whose success means there is something to watch. */
  step: string;
  /** Where the account stands in the alert: lower first (the cloud account, then AD). */
  order: number;
  /** How the alert names the account when it is enabled again, or undefined while it is not. */
  reEnabled(
    request: RevocationRequest,
    ports: PathPorts,
    retrying: GatherContext['retrying'],
  ): Promise<string | undefined>;
}

/** Steps the card folds into one "and N more" line when there are many. */
export interface CardFold {
  kind: string;
  singular: string;
  plural: string;
}

export interface AccessPath<Inventory> {
  /** Stable, lower-case: the key of its shared look-ups and of its documentation. */
  name: string;
  /** What the path is, as docs and the doctor name it. */
  title: string;
  /** Every step kind the path owns (its restore steps included), with the action that runs it. */
  actions: Readonly<Record<string, StepAction>>;
  /**
   * Looks up what the path would act on, before approval. Undefined: nothing to plan for this
   * request. Throws RequestRefused when the request cannot be served (a profile the deployment
   * cannot run).
   */
  gather(context: GatherContext): Promise<Inventory | undefined>;
  /** Pure: the steps and notes the approvers see. */
  plan(inventory: Inventory, context: PlanContext): PlanPart;
  /** What the card's header says about the target from this path's inventory. */
  targetFacts?(inventory: Inventory): Partial<Pick<TargetSnapshot, 'deviceCount'>>;
  /** Pure: from the prior state the revocation's steps recorded. */
  restore?(original: RevocationRequest, context: RestoreContext): RestorePart;
  residual?: ResidualReport;
  graph?: readonly GraphNeed[];
  drift?: DriftWatch;
  cardFold?: CardFold;
}

/** A path's inventory, gathered and bound to its planner: what the generic code handles. */
export interface GatheredPath {
  name: string;
  plan(context: PlanContext): PlanPart;
  targetFacts: Partial<Pick<TargetSnapshot, 'deviceCount'>>;
}

/**
 * A path with its inventory type hidden: the registry holds paths of different inventories side
 * by side, and only the path itself ever sees its own.
 */
export interface RegisteredPath extends Omit<AccessPath<never>, 'gather' | 'plan' | 'targetFacts'> {
  gather(context: GatherContext): Promise<GatheredPath | undefined>;
}

export function registered<Inventory>(path: AccessPath<Inventory>): RegisteredPath {
  const { gather, plan: _plan, targetFacts: _facts, ...rest } = path;
  return {
    ...rest,
    async gather(context) {
      const inventory = await gather(context);
      return inventory === undefined ? undefined : withInventory(path, inventory);
    },
  };
}

/** A path bound to an inventory already gathered (or, in a test, given). */
export function withInventory<Inventory>(
  path: AccessPath<Inventory>,
  inventory: Inventory,
): GatheredPath {
  return {
    name: path.name,
    plan: (context) => path.plan(inventory, context),
    targetFacts: path.targetFacts ? path.targetFacts(inventory) : {},
  };
}

/**
 * The restore of a path whose change cannot be put back: nothing to run, and, when its step of
 * `kind` succeeded, the note that says so and what the user or an administrator does instead.
 */
export function cannotRestore(
  kind: string,
  note: string,
): (original: RevocationRequest) => RestorePart {
  return (original) => ({
    steps: [],
    notes: [],
    notRestored: original.steps.some((s) => s.kind === kind && s.status === 'succeeded')
      ? [note]
      : [],
  });
}

/** A pending step: the shape every path's planner starts from. */
export function pendingStep(
  id: string,
  kind: string,
  title: string,
  dependsOn: readonly string[] = [],
): Step {
  return { id, kind, title, dependsOn: [...dependsOn], status: 'pending', attempts: 0 };
}

/** The ids among `ids` that were planned: a dependency on a step that is not there is dropped. */
export function after(planned: ReadonlySet<string>, ...ids: string[]): string[] {
  return ids.filter((id) => planned.has(id));
}
