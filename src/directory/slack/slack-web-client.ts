// The official Web API client, set up for Revoke: pointed at SLACK_API_URL (a stand-in in tests),
// its own retries off and rate-limited calls rejected at once, so Revoke's one retry layer
// (src/core/retry.ts) sees every 429 and waits the Retry-After Slack sent; its logging goes to
// Revoke's logger (which redacts tokens) instead of the console.
import { LogLevel, WebClient, type Logger as SlackLogger } from '@slack/web-api';
import type { Logger } from '../../core/ports';

export function createSlackWebClient(
  token: string,
  apiUrl: string,
  logger: Logger | undefined,
  timeoutMs = 15_000,
): WebClient {
  return new WebClient(token, {
    slackApiUrl: `${apiUrl}/`,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: timeoutMs,
    // Only SLACK_API_URL may be called, whatever a method name looks like.
    allowAbsoluteUrls: false,
    logger: bridgeLogger(logger),
  });
}

/** Warnings and errors only: the client's debug lines describe every request. */
function bridgeLogger(logger: Logger | undefined): SlackLogger {
  let level = LogLevel.WARN;
  const say =
    (write: ((message: string) => void) | undefined) =>
    (...parts: unknown[]) =>
      write?.(`Slack Web API client: ${parts.map(String).join(' ')}`);
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: say(logger ? (m) => logger.warn(m) : undefined),
    error: say(logger ? (m) => logger.error(m) : undefined),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
