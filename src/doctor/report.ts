// Prints doctor results one line each, with the fix indented under every failure.
import type { CheckResult, CheckStatus } from './check-result';

const MARK: Record<CheckStatus, string> = { ok: '✓', warn: '!', fail: '✗' };

export function formatResult(result: CheckResult): string {
  const line = `${MARK[result.status]} ${result.name}: ${result.detail}`;
  return result.fix ? `${line}\n    fix: ${result.fix}` : line;
}

export function formatReport(results: readonly CheckResult[]): string {
  const failed = results.filter((r) => r.status === 'fail').length;
  const warned = results.filter((r) => r.status === 'warn').length;
  const summary =
    failed === 0
      ? `All ${results.length} checks passed${warned > 0 ? ` (${warned} warning(s))` : ''}.`
      : `${failed} of ${results.length} checks failed${warned > 0 ? `, ${warned} warning(s)` : ''}.`;
  return [...results.map(formatResult), '', summary].join('\n');
}

/** 0 when nothing failed (warnings allowed), 1 otherwise. */
export function exitCode(results: readonly CheckResult[]): number {
  return results.some((r) => r.status === 'fail') ? 1 : 0;
}
