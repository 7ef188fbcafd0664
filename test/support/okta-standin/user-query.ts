// GET /api/v1/users as Okta documents it: `search` (case-insensitive values, eq/sw, and/or, all
// statuses), `filter` (case-sensitive values, eq only, a few properties, all statuses), neither
// (every user but DEPROVISIONED), and cursor paging with `limit` (default and maximum 200) and
// `after`, the next page announced in a Link header with rel="next".
import type { StandinOktaUser } from './org-state';

type Property =
  'id' | 'status' | 'profile.login' | 'profile.email' | 'profile.firstName' | 'profile.lastName';
const SEARCHABLE = new Set<string>([
  'id',
  'status',
  'profile.login',
  'profile.email',
  'profile.firstName',
  'profile.lastName',
]);

interface Clause {
  property: Property;
  op: 'eq' | 'sw';
  value: string;
}

/** `a eq "x" or b eq "y"`: clauses joined by one kind of operator; undefined when not parseable. */
export function parseExpression(
  text: string,
  mode: 'search' | 'filter',
): { clauses: Clause[]; join: 'and' | 'or' } | undefined {
  const clause = /^\s*([A-Za-z.]+)\s+(eq|sw)\s+"((?:[^"\\]|\\.)*)"\s*/i;
  const clauses: Clause[] = [];
  const joins = new Set<string>();
  let rest = text;
  for (;;) {
    const m = clause.exec(rest);
    if (!m) return undefined;
    const [whole, property = '', op = '', quoted = ''] = m;
    // Property names are case-sensitive in both search and filter.
    if (!SEARCHABLE.has(property)) return undefined;
    const lowerOp = op.toLowerCase() as 'eq' | 'sw';
    if (mode === 'filter' && lowerOp !== 'eq') return undefined;
    clauses.push({
      property: property as Property,
      op: lowerOp,
      value: quoted.replace(/\\(.)/g, '$1'),
    });
    rest = rest.slice(whole.length);
    if (rest.trim() === '') break;
    const j = /^(and|or)\s+/i.exec(rest);
    if (!j?.[1]) return undefined;
    joins.add(j[1].toLowerCase());
    rest = rest.slice(j[0].length);
  }
  // Mixing and/or needs parentheses, which this stand-in does not parse: refuse rather than guess.
  if (joins.size > 1) return undefined;
  return { clauses, join: joins.has('and') ? 'and' : 'or' };
}

function valueOf(user: StandinOktaUser, property: Property): string {
  switch (property) {
    case 'id':
      return user.id;
    case 'status':
      return user.status;
    case 'profile.login':
      return user.login;
    case 'profile.email':
      return user.email;
    case 'profile.firstName':
      return user.firstName ?? '';
    case 'profile.lastName':
      return user.lastName ?? '';
  }
}

export function matches(
  user: StandinOktaUser,
  expr: { clauses: Clause[]; join: 'and' | 'or' },
  caseInsensitive: boolean,
): boolean {
  const test = (c: Clause): boolean => {
    const fold = (s: string) => (caseInsensitive ? s.toLowerCase() : s);
    const have = fold(valueOf(user, c.property));
    const want = fold(c.value);
    return c.op === 'eq' ? have === want : have.startsWith(want);
  };
  return expr.join === 'and' ? expr.clauses.every(test) : expr.clauses.some(test);
}

export interface Page {
  users: StandinOktaUser[];
  /** The `after` cursor of the next page, when there is one. */
  nextAfter?: string;
}

/** Users in creation order; the cursor is the id of the last user on the page. */
export function pageOf(users: StandinOktaUser[], after: string | null, limit: number): Page {
  const start = after === null ? 0 : users.findIndex((u) => u.id === after) + 1;
  const slice = users.slice(start, start + limit);
  const last = slice[slice.length - 1];
  return start + limit < users.length && last
    ? { users: slice, nextAfter: last.id }
    : { users: slice };
}

export function pageLimit(raw: string | null): number {
  const n = raw === null ? 200 : Number(raw);
  return Number.isInteger(n) && n > 0 ? Math.min(n, 200) : 200;
}
