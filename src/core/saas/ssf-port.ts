// What the core needs from the Shared Signals transmitter (OpenID SSF 1.0): who receives signals,
// and delivering one Security Event Token to one of them. Signing, the keys and the HTTP push are
// the adapter's (src/ssf/); the core only decides which events a revocation's steps justify.
import { connectorKey } from '../paths/connectors';

/** Event types Revoke transmits (CAEP 1.0 and RISC 1.0). */
export const SSF_EVENTS = {
  sessionRevoked: 'https://schemas.openid.net/secevent/caep/event-type/session-revoked',
  credentialChange: 'https://schemas.openid.net/secevent/caep/event-type/credential-change',
  accountDisabled: 'https://schemas.openid.net/secevent/risc/event-type/account-disabled',
  accountEnabled: 'https://schemas.openid.net/secevent/risc/event-type/account-enabled',
  verification: 'https://schemas.openid.net/secevent/ssf/event-type/verification',
} as const;

/** The events a revocation can carry, in the order they are sent. */
export const REVOCATION_EVENTS: readonly string[] = [
  SSF_EVENTS.accountDisabled,
  SSF_EVENTS.sessionRevoked,
  SSF_EVENTS.credentialChange,
  SSF_EVENTS.accountEnabled,
];

/** How a receiver wants the user named (RFC 9493 subject identifier formats). */
export type SubjectFormat = 'email' | 'iss_sub' | 'opaque';

export type SubjectId =
  | { format: 'email'; email: string }
  | { format: 'iss_sub'; iss: string; sub: string }
  | { format: 'opaque'; id: string };

export interface SsfReceiver {
  /** Stable: the static receiver's name, or the stream id of a stream a receiver created. */
  id: string;
  /** As the card names it. */
  name: string;
  /** events_delivered: the event types it asked for that Revoke sends. */
  events: readonly string[];
  subjectFormat: SubjectFormat;
  /** For `iss_sub`: the issuer the receiver knows the user by (the Entra ID tenant's issuer). */
  subjectIssuer?: string;
  /** Stream status: only an enabled stream is sent events (SSF 1.0 §8.1.2). */
  status: 'enabled' | 'paused' | 'disabled';
  /** Subjects the receiver removed from its stream (their canonical JSON). */
  excludedSubjects?: readonly string[];
}

/** The claims of one SET that the core decides; the adapter adds `iss` and `aud` and signs. */
export interface SetClaims {
  jti: string;
  /** Seconds since the epoch. */
  iat: number;
  sub_id: SubjectId;
  events: Record<string, Record<string, unknown>>;
  /** Ties the SETs of one revocation together (SSF 1.0 `txn`). */
  txn?: string;
}

export interface SharedSignals {
  /** Receivers that may be sent events now: static ones and the streams receivers created. */
  receivers(): Promise<SsfReceiver[]>;
  receiver(id: string): Promise<SsfReceiver | undefined>;
  /**
   * Signs the SET for the receiver and pushes it (RFC 8935). Resolves when the receiver answered
   * 202; throws a DirectoryError otherwise (rejected with the receiver's error code, throttled with
   * Retry-After, transient).
   */
  deliver(receiverId: string, claims: SetClaims): Promise<{ acknowledgedAt: Date }>;
}

export const SHARED_SIGNALS = connectorKey<SharedSignals>('shared-signals');

/** One canonical string per subject, for "removed from the stream" comparisons. */
export function subjectKey(subject: SubjectId): string {
  switch (subject.format) {
    case 'email':
      return `email:${subject.email.toLowerCase()}`;
    case 'iss_sub':
      return `iss_sub:${subject.iss} ${subject.sub}`;
    case 'opaque':
      return `opaque:${subject.id}`;
  }
}
