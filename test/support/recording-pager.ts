// A pager that records what it was asked to do and fails on demand, for the outreach sweep's tests
// (the real PagerDuty and webhook adapters are tested against their stand-ins).
import { DirectoryError } from '../../src/core/errors';
import type { PageAlert, PageResolution, Pager } from '../../src/core/paging/pager';

export class RecordingPager implements Pager {
  readonly triggered: PageAlert[] = [];
  readonly resolved: { key: string; why: PageResolution }[] = [];
  /** Errors thrown by the next calls, in order. */
  readonly failures: DirectoryError[] = [];

  constructor(readonly name = 'PagerDuty') {}

  async trigger(alert: PageAlert): Promise<void> {
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.triggered.push(alert);
  }

  async resolve(key: string, why: PageResolution): Promise<void> {
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.resolved.push({ key, why });
  }
}
