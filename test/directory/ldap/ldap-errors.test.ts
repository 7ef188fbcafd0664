import { strict as assert } from 'node:assert';
import {
  BusyError,
  ConstraintViolationError,
  InsufficientAccessError,
  InvalidCredentialsError,
  NoSuchAttributeError,
  NoSuchObjectError,
  StrongAuthRequiredError,
  UnavailableError,
  UnwillingToPerformError,
} from 'ldapts';
import { DirectoryError } from '../../../src/core/errors';
import {
  BIND_ADVICE,
  DELEGATION_ADVICE,
  toDirectoryError,
} from '../../../src/directory/ldap/ldap-errors';

function systemError(code: string, message = code): Error {
  return Object.assign(new Error(message), { code });
}

describe('toDirectoryError', () => {
  const cases: [string, unknown, DirectoryError['kind']][] = [
    ['busy (51)', new BusyError(), 'throttled'],
    ['unavailable (52)', new UnavailableError(), 'transient'],
    ['an operation timeout', new Error('SearchRequest: Operation timed out'), 'transient'],
    ['a connect timeout', new Error('Connection timeout'), 'transient'],
    [
      'a dropped connection',
      new Error(
        'Connection closed before message response was received. Message type: ModifyRequest (0x66)',
      ),
      'transient',
    ],
    ['ECONNRESET', systemError('ECONNRESET', 'read ECONNRESET'), 'transient'],
    [
      'ECONNREFUSED',
      systemError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:636'),
      'transient',
    ],
    ['a lost userAccountControl race (16)', new NoSuchAttributeError(), 'transient'],
    ['noSuchObject (32)', new NoSuchObjectError(), 'not_found'],
    [
      'constraintViolation (19)',
      new ConstraintViolationError('0000052D: Constraint violation'),
      'rejected',
    ],
    ['unwillingToPerform (53)', new UnwillingToPerformError(), 'rejected'],
    ['strongAuthRequired (8)', new StrongAuthRequiredError(), 'misconfigured'],
    ['an untrusted certificate', systemError('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), 'misconfigured'],
    [
      'a certificate for another name',
      systemError('ERR_TLS_CERT_ALTNAME_INVALID'),
      'misconfigured',
    ],
  ];
  for (const [what, error, kind] of cases) {
    it(`maps ${what} to ${kind}, keeping the cause`, () => {
      const mapped = toDirectoryError(error, 'disable account');
      assert.equal(mapped.kind, kind);
      assert.equal(mapped.cause, error);
      assert.match(mapped.message, /disable account/);
    });
  }

  it('maps insufficientAccessRights (50) to permission with advice naming the rights', () => {
    const mapped = toDirectoryError(
      new InsufficientAccessError('00002098: SecErr'),
      'reset password',
    );
    assert.equal(mapped.kind, 'permission');
    assert.equal(mapped.code, 'InsufficientAccessError');
    assert.equal(mapped.advice, DELEGATION_ADVICE);
    assert.match(mapped.advice ?? '', /Reset password/);
    assert.match(mapped.advice ?? '', /userAccountControl/);
  });

  it('maps invalidCredentials on the service bind to misconfigured, with AD’s reason', () => {
    const wrong = toDirectoryError(
      new InvalidCredentialsError('80090308: LdapErr: … data 52e, v1db1'),
      'bind',
    );
    assert.equal(wrong.kind, 'misconfigured');
    assert.equal(wrong.advice, BIND_ADVICE);
    const disabled = toDirectoryError(
      new InvalidCredentialsError('80090308: LdapErr: … data 533, v1db1'),
      'bind',
    );
    assert.match(disabled.advice ?? '', /bind account is disabled/);
    const locked = toDirectoryError(new InvalidCredentialsError('… data 775, v1db1'), 'bind');
    assert.match(locked.advice ?? '', /locked out/);
  });

  it('does not call invalidCredentials outside a bind a configuration problem', () => {
    assert.equal(
      toDirectoryError(new InvalidCredentialsError(), 'reset password').kind,
      'rejected',
    );
  });

  it('passes DirectoryErrors through unchanged', () => {
    const original = new DirectoryError('not_found', 'gone');
    assert.equal(toDirectoryError(original, 'find account'), original);
  });

  it('treats anything unknown as rejected rather than retrying it blindly', () => {
    const mapped = toDirectoryError(new TypeError('boom'), 'find account');
    assert.equal(mapped.kind, 'rejected');
    assert.equal(mapped.retryable, false);
  });
});
