// The shape of a stand-in Graph route.
import type { GraphCall, GraphResult } from './graph-result';
import type { StandinState } from './state';

export interface RouteContext {
  call: GraphCall;
  params: string[];
  state: StandinState;
  /** `https://127.0.0.1:port`, for @odata.context and nextLink. */
  origin: string;
}

export interface GraphRoute {
  method: string;
  pattern: RegExp;
  /** Counter key, e.g. `PATCH /devices/{id}`. */
  name: string;
  /** Any one of these sets, each set in full, lets the call through. */
  permissions: string[][];
  handle(ctx: RouteContext): GraphResult;
}
