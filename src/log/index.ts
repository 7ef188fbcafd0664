export { createLogger, isLogLevel, LOG_LEVELS, parseLogLevel, silentLogger } from './logger';
export type { LoggerOptions, LogLevel } from './logger';
export { isSecretKey, maskString, REDACTED } from './redact';
