// Event streams that receivers created through the SSF management API, kept in the request store
// so every instance sees them and they survive restarts. No secret is kept: the token a stream's
// pushes carry is configured per management client (SSF_STREAM_CLIENTS), not stored.

export type StreamStatus = 'enabled' | 'paused' | 'disabled';

export interface SsfStream {
  /** stream_id: random, unguessable. */
  id: string;
  /** The management client (one receiver) that created it and alone may see or change it. */
  client: string;
  /** The SETs' `aud`. */
  audience: string;
  /** events_requested, as the receiver sent them. */
  eventsRequested: string[];
  /** RFC 8935 push: where SETs are POSTed. */
  endpointUrl: string;
  description?: string;
  status: StreamStatus;
  /** Why the receiver set the status (SSF `reason`). */
  reason?: string;
  /** Subjects the receiver removed, as `subjectKey` writes them. */
  excludedSubjects: string[];
  createdAt: string;
  updatedAt: string;
}

export interface SsfStreamStore {
  createStream(stream: SsfStream): Promise<void>;
  getStream(id: string): Promise<SsfStream | undefined>;
  listStreams(): Promise<SsfStream[]>;
  /** Replaces the whole stream; false when it no longer exists. */
  saveStream(stream: SsfStream): Promise<boolean>;
  /** False when it did not exist. */
  deleteStream(id: string): Promise<boolean>;
}
