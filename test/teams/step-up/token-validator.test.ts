// The step-up token validation with jose against an issuer stand-in over HTTPS: the tenant's
// metadata and keys are read and cached; a token with the wrong audience or issuer, a forged
// signature or past its expiry is refused with a reason; the right one gives its claims.
import { strict as assert } from 'node:assert';
import { generateKeyPairSync } from 'node:crypto';
import {
  InvalidStepUpToken,
  StepUpIssuerUnavailable,
  StepUpTokenValidator,
} from '../../../src/teams/step-up/token-validator';
import { OpenIdIssuerStandin } from '../../support/step-up-standin/openid-issuer';

const TENANT = '23c74162-706a-4cde-a310-c1f97bc2fed7';
const STEP_UP_APP = '5d1c0e5a-7b2f-4c3e-9a8d-1e2f3a4b5c6d';
const PRIYA = 'b0a1c2d3-0000-4000-8000-000000000002';

describe('step-up token validation (jose, tenant keys over HTTPS)', function () {
  this.timeout(20_000);
  let issuer: OpenIdIssuerStandin;
  let validator: StepUpTokenValidator;

  before(async () => {
    issuer = await new OpenIdIssuerStandin(TENANT, STEP_UP_APP).start();
  });
  after(async () => {
    await issuer.stop();
  });
  beforeEach(() => {
    validator = new StepUpTokenValidator({
      metadataUrl: issuer.metadataUrl,
      audience: STEP_UP_APP,
      clockToleranceSeconds: 30,
    });
    issuer.jwksFetches = 0;
  });

  async function refusal(token: Promise<string>): Promise<string> {
    const text = await token;
    let reason = '';
    await assert.rejects(validator.validate(text), (error: unknown) => {
      assert.ok(error instanceof InvalidStepUpToken, String(error));
      reason = error.reason;
      assert.ok(!error.message.includes(text), 'the token is never in the message');
      return true;
    });
    return reason;
  }

  it('accepts a token signed by the tenant for the step-up app, and caches the keys', async () => {
    const claims = await validator.validate(await issuer.mint({ oid: PRIYA, uti: 'u-1' }));
    assert.equal(claims['oid'], PRIYA);
    assert.equal(claims['uti'], 'u-1');
    assert.deepEqual(claims['amr'], ['pwd', 'mfa']);
    await validator.validate(await issuer.mint({ oid: PRIYA }));
    await validator.validate(await issuer.mint({ oid: PRIYA }));
    assert.equal(issuer.jwksFetches, 1, 'keys fetched once');
  });

  it('refuses a token for another audience', async () => {
    const reason = await refusal(issuer.mint({ oid: PRIYA, aud: 'another-app' }));
    assert.match(reason, /wrong audience/);
  });

  it('refuses a token from another issuer', async () => {
    const reason = await refusal(
      issuer.mint({ oid: PRIYA, iss: 'https://login.microsoftonline.com/other-tenant/v2.0' }),
    );
    assert.match(reason, /wrong issuer/);
  });

  it('refuses a token with a bad signature', async () => {
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const reason = await refusal(issuer.mint({ oid: PRIYA, signWith: stranger }));
    assert.match(reason, /signature/);
  });

  it('refuses an expired token', async () => {
    const reason = await refusal(issuer.mint({ oid: PRIYA, expiresIn: -120 }));
    assert.match(reason, /expired/);
  });

  it('refuses what is not a token at all', async () => {
    const reason = await refusal(Promise.resolve('not.a.jwt'));
    assert.match(reason, /not valid/);
  });

  it('says the issuer is unavailable when its metadata cannot be read', async () => {
    const unreachable = new StepUpTokenValidator({
      metadataUrl: `${issuer.origin}/no-such-tenant/v2.0/.well-known/openid-configuration`,
      audience: STEP_UP_APP,
      clockToleranceSeconds: 30,
    });
    await assert.rejects(
      unreachable.validate(await issuer.mint({ oid: PRIYA })),
      StepUpIssuerUnavailable,
    );
  });
});
