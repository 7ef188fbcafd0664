// The durable memory step-up needs, kept in the request store so it holds across restarts and
// is shared by every instance: when each person was asked to sign in for each request, and which
// token ids were already spent. The audit trail would also remember token ids, but it has no
// unique index to make "first use wins" atomic between two instances, and it is not queried by
// value; the store is.

export interface StepUpLedger {
  /** Remembers that `personId` was asked to sign in for `subjectId` (a request or batch) at `at`. */
  recordChallenge(subjectId: string, personId: string, at: Date): Promise<void>;
  /** When `personId` was last asked to sign in for `subjectId`; undefined when never. */
  challengedAt(subjectId: string, personId: string): Promise<Date | undefined>;
  /**
   * Spends a token id: true the first time it is seen (across instances: a unique key), false
   * after. `expiresAt` lets rows of tokens that could no longer be used anyway be cleared.
   */
  claimToken(tokenId: string, personId: string, usedAt: Date, expiresAt: Date): Promise<boolean>;
}

/** In memory: for tests and the sandbox, whose store is thrown away anyway. */
export class MemoryStepUpLedger implements StepUpLedger {
  private readonly challenges = new Map<string, Date>();
  private readonly spent = new Set<string>();

  async recordChallenge(subjectId: string, personId: string, at: Date): Promise<void> {
    this.challenges.set(key(subjectId, personId), at);
  }

  async challengedAt(subjectId: string, personId: string): Promise<Date | undefined> {
    return this.challenges.get(key(subjectId, personId));
  }

  async claimToken(tokenId: string): Promise<boolean> {
    if (this.spent.has(tokenId)) return false;
    this.spent.add(tokenId);
    return true;
  }
}

function key(subjectId: string, personId: string): string {
  return `${subjectId}\n${personId.toLowerCase()}`;
}
