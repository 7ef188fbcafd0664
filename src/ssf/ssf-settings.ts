// What the Shared Signals transmitter is configured with (read in src/connectors/shared-signals.ts).
// Tokens are held here only in memory; nothing below is logged, stored or shown.
import type { SubjectFormat } from '../core/saas/ssf-port';

/** A receiver configured in SSF_RECEIVERS, for receivers that do not create streams themselves. */
export interface StaticReceiver {
  /** Stable id and display name, e.g. "okta". */
  name: string;
  /** RFC 8935 push endpoint (https). */
  pushUrl: string;
  /** The SETs' `aud`. */
  audience: string;
  /** The bearer token the receiver's push endpoint expects, if any (from the named variable). */
  pushToken?: string;
  subjectFormat: SubjectFormat;
  subjectIssuer?: string;
  /** Event types it is sent; all Revoke's by default. */
  events: string[];
}

/** A receiver allowed to manage its own streams through the SSF management API. */
export interface StreamClient {
  name: string;
  /** The bearer token it presents to the management endpoints. */
  token: string;
  /** The `aud` of its streams' SETs. */
  audience: string;
  /** The bearer token its push endpoint expects, if any. */
  pushToken?: string;
  subjectFormat: SubjectFormat;
  subjectIssuer?: string;
}

export interface SsfSettings {
  /** The transmitter's issuer: the public https base URL of this bot (`iss`, metadata URLs). */
  issuer: string;
  /** PEM (PKCS#8) or JWK file of the current signing key. */
  signingKeyFile: string;
  /** Older keys, still published in the JWKS so SETs signed with them verify. */
  previousKeyFiles: string[];
  receivers: StaticReceiver[];
  clients: StreamClient[];
  /** How long one push may take before it counts as a transient failure. */
  pushTimeoutMs: number;
}
