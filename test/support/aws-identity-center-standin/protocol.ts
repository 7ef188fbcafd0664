// The AWS JSON 1.1 protocol as the stand-in speaks it: errors as {__type, message} with
// x-amzn-ErrorType and each API's documented HTTP status, NextToken paging, the provisioning status
// shape, and reading a request body.
import type { IncomingMessage } from 'node:http';
import type { ProvisioningRequest } from './state';

export type Api = 'identitystore' | 'sso';

export interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/**
 * HTTP status per error, as each API reference lists it: the Identity Store API uses distinct
 * codes (403, 404, 409, 429), SSO Admin answers its client errors with 400.
 */
const STATUS: Record<Api, Record<string, number>> = {
  identitystore: {
    AccessDeniedException: 403,
    ResourceNotFoundException: 404,
    ConflictException: 409,
    ThrottlingException: 429,
    ValidationException: 400,
    InternalServerException: 500,
  },
  sso: {
    AccessDeniedException: 400,
    ResourceNotFoundException: 400,
    ConflictException: 400,
    ThrottlingException: 400,
    ValidationException: 400,
    InternalServerException: 500,
  },
};

const PAGE = 2;

export class AwsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export function statusOf(request: ProvisioningRequest): Record<string, unknown> {
  return {
    RequestId: request.requestId,
    PermissionSetArn: request.arn,
    Status: request.status,
    CreatedDate: Math.floor(Date.now() / 1000),
    ...(request.failureReason ? { FailureReason: request.failureReason } : {}),
  };
}

export function page<T>(
  all: T[],
  input: Record<string, unknown>,
  key: string,
): Record<string, unknown> {
  const start = input.NextToken
    ? Number(Buffer.from(String(input.NextToken), 'base64').toString())
    : 0;
  const size = Math.min(PAGE, typeof input.MaxResults === 'number' ? input.MaxResults : PAGE);
  const end = start + size;
  return {
    [key]: all.slice(start, end),
    ...(end < all.length ? { NextToken: Buffer.from(String(end)).toString('base64') } : {}),
  };
}

export function errorAnswer(api: Api, error: unknown): Answer {
  if (!(error instanceof AwsError)) {
    return {
      status: 500,
      body: { __type: 'InternalServerException', message: String(error) },
      headers: { 'x-amzn-errortype': 'InternalServerException' },
    };
  }
  const status = error.status ?? STATUS[api][error.type] ?? 400;
  const retryAfter = (error as { retryAfterSeconds?: number }).retryAfterSeconds;
  return {
    status,
    body: { __type: error.type, message: error.message },
    headers: {
      'x-amzn-errortype': error.type,
      ...(retryAfter !== undefined ? { 'retry-after': String(retryAfter) } : {}),
    },
  };
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
