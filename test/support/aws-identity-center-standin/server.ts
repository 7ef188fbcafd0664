// An HTTPS stand-in for AWS IAM Identity Center as the official SDK clients reach it: the AWS JSON
// 1.1 protocol (POST /, X-Amz-Target naming the operation), SigV4-signed requests checked against
// the one key it knows, errors as {__type, message} with x-amzn-ErrorType and each API's documented
// HTTP status, NextToken paging (two items a page, so paging is exercised), and asynchronous
// ProvisionPermissionSet read through DescribePermissionSetProvisioningStatus.
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenWithTestTls, type TlsListener } from '../test-tls-server';
import { canonicalRequest, parseAuthorization, verifySignature } from './sigv4';
import { AwsError, errorAnswer, page, readBody, statusOf, type Answer, type Api } from './protocol';
import { AwsIdentityCenterState, type ProvisioningRequest } from './state';

export interface AwsCall {
  api: Api;
  operation: string;
  accessKeyId: string;
  body: Record<string, unknown>;
}

export interface AwsFault {
  operation: string;
  error: 'ThrottlingException' | 'InternalServerException' | 'ConflictException';
  retryAfterSeconds?: number;
  times: number;
}

const TARGET_PREFIX: Record<string, Api> = {
  AWSIdentityStore: 'identitystore',
  SWBExternalService: 'sso',
};

export class AwsIdentityCenterStandin {
  readonly state = new AwsIdentityCenterState();
  readonly accessKeyId = `AKIA${randomBytes(8).toString('hex').toUpperCase()}`;
  readonly secretAccessKey = randomBytes(30).toString('base64');
  readonly region = 'eu-west-1';
  readonly calls: AwsCall[] = [];
  readonly faults: AwsFault[] = [];
  /** IAM actions the caller is not allowed (e.g. 'sso:PutInlinePolicyToPermissionSet'). */
  readonly deniedActions = new Set<string>();
  /** Requests refused before reaching an operation: missing or bad signatures, unknown keys. */
  readonly refused: string[] = [];
  private listener: TlsListener | undefined;

  get origin(): string {
    if (!this.listener) throw new Error('The AWS stand-in is not started.');
    return `https://127.0.0.1:${this.listener.port}`;
  }

  async start(): Promise<this> {
    this.listener = await listenWithTestTls((req, res) => void this.serve(req, res));
    return this;
  }

  async stop(): Promise<void> {
    await this.listener?.close();
  }

  count(operation: string): number {
    return this.calls.filter((c) => c.operation === operation).length;
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    let answer: Answer;
    let api: Api = 'identitystore';
    try {
      const [prefix, operation] = String(req.headers['x-amz-target'] ?? '').split('.');
      const known = prefix ? TARGET_PREFIX[prefix] : undefined;
      if (req.method !== 'POST' || req.url !== '/' || !known || !operation)
        throw new AwsError('UnknownOperationException', 'Unknown operation', 400);
      api = known;
      if (req.headers['content-type'] !== 'application/x-amz-json-1.1')
        throw new AwsError('SerializationException', 'Expected application/x-amz-json-1.1', 400);
      const accessKeyId = this.authenticate(req, body, api);
      const input = (body ? JSON.parse(body) : {}) as Record<string, unknown>;
      this.calls.push({ api, operation, accessKeyId, body: input });
      this.authorise(api, operation);
      this.injectFault(operation);
      answer = { status: 200, body: this.dispatch(api, operation, input) };
    } catch (error) {
      answer = errorAnswer(api, error);
    }
    res.writeHead(answer.status, {
      'content-type': 'application/x-amz-json-1.1',
      'x-amzn-requestid': randomUUID(),
      ...answer.headers,
    });
    res.end(JSON.stringify(answer.body));
  }

  /** SigV4: the header must parse, name our key and the right service, and its signature match. */
  private authenticate(req: IncomingMessage, body: string, api: Api): string {
    const header = req.headers.authorization;
    if (!header) {
      this.refused.push('missing');
      throw new AwsError(
        'MissingAuthenticationTokenException',
        'Missing Authentication Token',
        403,
      );
    }
    const auth = parseAuthorization(header);
    if (!auth || auth.service !== api || auth.region !== this.region) {
      this.refused.push('malformed');
      throw new AwsError(
        'IncompleteSignatureException',
        'The Authorization header is malformed.',
        400,
      );
    }
    if (auth.accessKeyId !== this.accessKeyId) {
      this.refused.push('unknown key');
      throw new AwsError(
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
        400,
      );
    }
    const signed = {
      auth,
      method: req.method ?? '',
      path: req.url ?? '/',
      headers: req.headers,
      body,
    };
    if (!verifySignature({ ...signed, secretAccessKey: this.secretAccessKey })) {
      this.refused.push('bad signature');
      // As AWS does: the canonical request quoted back, signed headers (a session token) included.
      throw new AwsError(
        'InvalidSignatureException',
        `The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.\n\nThe Canonical String for this request should have been\n'${canonicalRequest(signed)}'`,
        403,
      );
    }
    return auth.accessKeyId;
  }

  private authorise(api: Api, operation: string): void {
    const action = `${api}:${operation}`;
    if (this.deniedActions.has(action))
      throw new AwsError(
        'AccessDeniedException',
        `User: arn:aws:iam::111122223333:user/revoke is not authorized to perform: ${action}`,
      );
  }

  private injectFault(operation: string): void {
    const fault = this.faults.find((f) => f.operation === operation && f.times > 0);
    if (!fault) return;
    fault.times--;
    const error = new AwsError(fault.error, `Injected ${fault.error}`);
    if (fault.retryAfterSeconds !== undefined)
      Object.assign(error, { retryAfterSeconds: fault.retryAfterSeconds });
    throw error;
  }

  private dispatch(api: Api, operation: string, input: Record<string, unknown>): unknown {
    const handler =
      api === 'identitystore' ? this.identityStore[operation] : this.ssoAdmin[operation];
    if (!handler)
      throw new AwsError('UnknownOperationException', `Unknown operation ${operation}`, 400);
    return handler(input);
  }

  private requireStore(input: Record<string, unknown>): void {
    if (input.IdentityStoreId !== this.state.identityStoreId)
      throw new AwsError('ResourceNotFoundException', 'Identity store not found.');
  }

  private requireInstance(input: Record<string, unknown>): void {
    if (input.InstanceArn !== this.state.instanceArn)
      throw new AwsError('ResourceNotFoundException', 'Instance not found.');
  }

  private permissionSet(input: Record<string, unknown>) {
    this.requireInstance(input);
    const set = this.state.permissionSets.get(String(input.PermissionSetArn));
    if (!set) throw new AwsError('ResourceNotFoundException', 'Permission set not found.');
    return set;
  }

  private readonly identityStore: Record<string, (input: Record<string, unknown>) => unknown> = {
    GetUserId: (input) => {
      this.requireStore(input);
      const unique = (input.AlternateIdentifier as { UniqueAttribute?: Record<string, unknown> })
        ?.UniqueAttribute;
      if (unique?.AttributePath !== 'userName')
        throw new AwsError('ValidationException', 'Only userName is supported here.');
      const user = [...this.state.users.values()].find((u) => u.UserName === unique.AttributeValue);
      if (!user) throw new AwsError('ResourceNotFoundException', 'USER not found.');
      return { IdentityStoreId: this.state.identityStoreId, UserId: user.UserId };
    },
    DescribeUser: (input) => {
      this.requireStore(input);
      const user = this.state.users.get(String(input.UserId));
      if (!user) throw new AwsError('ResourceNotFoundException', 'USER not found.');
      return { IdentityStoreId: this.state.identityStoreId, ...user };
    },
    DescribeGroup: (input) => {
      this.requireStore(input);
      const group = this.state.groups.get(String(input.GroupId));
      if (!group) throw new AwsError('ResourceNotFoundException', 'GROUP not found.');
      return { IdentityStoreId: this.state.identityStoreId, ...group };
    },
    ListGroupMembershipsForMember: (input) => {
      this.requireStore(input);
      const userId = (input.MemberId as { UserId?: string } | undefined)?.UserId;
      const all = [...this.state.memberships.entries()]
        .filter(([, m]) => m.userId === userId)
        .map(([id, m]) => ({
          IdentityStoreId: this.state.identityStoreId,
          MembershipId: id,
          GroupId: m.groupId,
          MemberId: { UserId: m.userId },
        }));
      return page(all, input, 'GroupMemberships');
    },
    DeleteGroupMembership: (input) => {
      this.requireStore(input);
      if (!this.state.memberships.delete(String(input.MembershipId)))
        throw new AwsError('ResourceNotFoundException', 'GROUP_MEMBERSHIP not found.');
      return {};
    },
    CreateGroupMembership: (input) => {
      this.requireStore(input);
      const groupId = String(input.GroupId);
      const userId = String((input.MemberId as { UserId?: string } | undefined)?.UserId);
      if (!this.state.groups.has(groupId) || !this.state.users.has(userId))
        throw new AwsError('ResourceNotFoundException', 'GROUP or USER not found.');
      if (this.state.groupsOf(userId).includes(groupId))
        throw new AwsError('ConflictException', 'Membership exists.');
      const id = this.state.addMembership(groupId, userId);
      return { IdentityStoreId: this.state.identityStoreId, MembershipId: id };
    },
  };

  private readonly ssoAdmin: Record<string, (input: Record<string, unknown>) => unknown> = {
    DescribeInstance: (input) => {
      this.requireInstance(input);
      return {
        InstanceArn: this.state.instanceArn,
        IdentityStoreId: this.state.identityStoreId,
        Name: 'Contoso',
        Status: 'ACTIVE',
      };
    },
    ListPermissionSets: (input) => {
      this.requireInstance(input);
      return page([...this.state.permissionSets.keys()], input, 'PermissionSets');
    },
    ListAccountAssignmentsForPrincipal: (input) => {
      this.requireInstance(input);
      if (input.PrincipalType !== 'USER')
        throw new AwsError('ValidationException', 'This stand-in lists users only.');
      const all = this.state.assignmentsFor(String(input.PrincipalId)).map((a) => ({
        AccountId: a.accountId,
        PermissionSetArn: a.permissionSetArn,
        PrincipalId: a.principalId,
        PrincipalType: a.principalType,
      }));
      return page(all, input, 'AccountAssignments');
    },
    DescribePermissionSet: (input) => {
      const set = this.permissionSet(input);
      return {
        PermissionSet: { Name: set.name, PermissionSetArn: set.arn, SessionDuration: 'PT1H' },
      };
    },
    GetInlinePolicyForPermissionSet: (input) => ({
      InlinePolicy: this.permissionSet(input).inlinePolicy,
    }),
    PutInlinePolicyToPermissionSet: (input) => {
      const set = this.permissionSet(input);
      const policy = String(input.InlinePolicy ?? '');
      try {
        JSON.parse(policy);
      } catch {
        throw new AwsError('ValidationException', 'The inline policy is not valid JSON.');
      }
      set.inlinePolicy = policy;
      return {};
    },
    DeleteInlinePolicyFromPermissionSet: (input) => {
      this.permissionSet(input).inlinePolicy = '';
      return {};
    },
    ProvisionPermissionSet: (input) => {
      const set = this.permissionSet(input);
      if (input.TargetType !== 'ALL_PROVISIONED_ACCOUNTS' && input.TargetType !== 'AWS_ACCOUNT')
        throw new AwsError('ValidationException', 'TargetType is required.');
      const running = [...this.state.provisioning.values()].find(
        (p) => p.arn === set.arn && p.status === 'IN_PROGRESS',
      );
      if (running)
        throw new AwsError(
          'ConflictException',
          'A provisioning of this permission set is in progress.',
        );
      const request: ProvisioningRequest = {
        requestId: randomUUID(),
        arn: set.arn,
        readsLeft: this.state.provisioningReads,
        status: 'IN_PROGRESS',
      };
      this.state.provisioning.set(request.requestId, request);
      this.advance(request);
      return { PermissionSetProvisioningStatus: statusOf(request) };
    },
    DescribePermissionSetProvisioningStatus: (input) => {
      this.requireInstance(input);
      const request = this.state.provisioning.get(String(input.ProvisionPermissionSetRequestId));
      if (!request) throw new AwsError('ResourceNotFoundException', 'Request not found.');
      const answer = statusOf(request);
      if (request.readsLeft > 0) request.readsLeft--;
      this.advance(request);
      return { PermissionSetProvisioningStatus: answer };
    },
  };

  /** A provisioning with no reads left finishes: the inline policy is then in force in the accounts. */
  private advance(request: ProvisioningRequest): void {
    if (request.status !== 'IN_PROGRESS' || request.readsLeft > 0) return;
    const set = this.state.permissionSets.get(request.arn);
    if (this.state.provisioningFailure) {
      request.status = 'FAILED';
      request.failureReason = this.state.provisioningFailure;
    } else if (set) {
      set.provisionedPolicy = set.inlinePolicy;
      request.status = 'SUCCEEDED';
    }
  }
}
