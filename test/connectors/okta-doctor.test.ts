// `revoke doctor` for Okta: a token with both scopes is OK; a scope the service app was not granted
// fails the check with what to grant; nothing in the org changes either way.
import { strict as assert } from 'node:assert';
import { oktaSetup } from '../../src/connectors/okta';
import { OktaStandin } from '../support/okta-standin';
import { makeServiceKey, settingsFor } from '../directory/okta/okta-fixtures';

describe('revoke doctor: the Okta service app', function () {
  this.timeout(20_000);
  let okta: OktaStandin;

  beforeEach(async () => {
    okta = await new OktaStandin().start();
  });
  afterEach(() => okta.stop());

  it('passes with both scopes, and reads no user', async () => {
    const key = makeServiceKey();
    const app = okta.state.registerApp([key], ['okta.users.read', 'okta.users.manage']);
    const results = await oktaSetup.doctor(settingsFor(okta.orgUrl, app.clientId, key));
    assert.deepEqual(
      results.map((r) => r.status),
      ['ok'],
    );
    assert.deepEqual(
      okta.log.calls.map((c) => c.route),
      ['POST /oauth2/v1/token'],
    );
  });

  it('fails, naming the scope to grant, when the app lacks one', async () => {
    const key = makeServiceKey();
    const app = okta.state.registerApp([key], ['okta.users.read']);
    const [result] = await oktaSetup.doctor(settingsFor(okta.orgUrl, app.clientId, key));
    assert.equal(result?.status, 'fail');
    assert.match(`${result?.detail} ${result?.fix ?? ''}`, /okta\.users\.manage/);
  });
});
