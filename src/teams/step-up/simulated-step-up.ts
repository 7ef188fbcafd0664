// The sandbox's step-up (APPROVAL_STEP_UP=simulated): the same two clicks as the real flow, with
// no sign-in page and no issuer. The first click is answered "sign in now (simulated)"; the next
// click on the same request by the same person within APPROVAL_MFA_MAX_AGE_SECONDS counts, with a
// proof marked simulated wherever it is shown. Never wired with a real tenant (config refuses it).
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/clock';
import type { Person } from '../../core/model';
import { messageResponse } from '../card-actions';
import type { GateAnswer, StepUpGate } from './step-up-gate';

export class SimulatedStepUp implements StepUpGate {
  private readonly challenges = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly maxAgeSeconds: number,
  ) {}

  async prove(_context: unknown, subjectId: string, person: Person): Promise<GateAnswer> {
    const key = `${subjectId}\n${person.id}`;
    const now = this.clock.now();
    const askedAt = this.challenges.get(key);
    if (askedAt !== undefined && now.getTime() - askedAt <= this.maxAgeSeconds * 1000) {
      this.challenges.delete(key);
      return {
        kind: 'proven',
        proof: {
          method: 'simulated',
          authTime: now.toISOString(),
          tokenId: `simulated-${randomUUID()}`,
        },
      };
    }
    this.challenges.set(key, now.getTime());
    return {
      kind: 'answer',
      response: messageResponse(
        'Simulated MFA — sandbox: with APPROVAL_STEP_UP=required, Teams would now show a sign-in button and your decision would count only after a fresh sign-in with MFA. Click the same button again to complete the simulated sign-in.',
      ),
    };
  }
}
