// Server-driven paging as Graph does it: $top (1–999, default 100) and an opaque $skiptoken that
// only the stand-in can read back. One token format for every paged route, so a token from one
// collection replayed on another is still just an offset, never a crash.
import type { GraphResult } from './graph-result';
import { badRequest } from './graph-result';
import type { RouteContext } from './route-types';

const TOKEN_PREFIX = 'StandinSkip:';

export type PageRequest =
  { ok: true; top: number; offset: number } | { ok: false; result: GraphResult };

export function pageRequest(ctx: RouteContext, defaultTop = 100): PageRequest {
  const q = ctx.call.query;
  const top = q.has('$top') ? Number(q.get('$top')) : defaultTop;
  if (!Number.isInteger(top) || top < 1 || top > 999) {
    const message = `Invalid page size specified: '${q.get('$top') ?? ''}'. Must be between 1 and 999 inclusive.`;
    return { ok: false, result: badRequest(ctx.call, message) };
  }
  const token = q.get('$skiptoken');
  const offset = token === null ? 0 : readSkipToken(token);
  if (offset === undefined)
    return { ok: false, result: badRequest(ctx.call, 'Invalid skip token.') };
  return { ok: true, top, offset };
}

/**
 * The page's slice of `all`, and the nextLink when more remain. The link repeats $select, $filter
 * and $top, as Graph's own links do, so following it needs nothing else from the caller.
 */
export function pageOf<T>(
  ctx: RouteContext,
  all: readonly T[],
  page: { top: number; offset: number },
): { items: T[]; nextLink?: string } {
  const { top, offset } = page;
  const items = all.slice(offset, offset + top);
  if (offset + top >= all.length) return { items };
  const next = new URLSearchParams();
  for (const key of ['$select', '$filter']) {
    const value = ctx.call.query.get(key);
    if (value !== null) next.set(key, value);
  }
  next.set('$top', String(top));
  next.set('$skiptoken', skipToken(offset + top));
  return { items, nextLink: `${ctx.origin}${ctx.call.path}?${next.toString()}` };
}

function skipToken(offset: number): string {
  return Buffer.from(`${TOKEN_PREFIX}${offset}`).toString('base64url');
}

function readSkipToken(token: string): number | undefined {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  const m = new RegExp(`^${TOKEN_PREFIX}(\\d+)$`).exec(text);
  return m ? Number(m[1]) : undefined;
}
