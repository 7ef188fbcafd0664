// Neither the service app's private key nor an access token may reach an error Revoke shows, logs
// or audits, whatever failed, and even when Okta (or a proxy) echoes one back in its answer.
import assert from 'node:assert/strict';
import type { DirectoryError } from '../../../src/core/errors';
import { OktaSdkDirectory, OKTA_SCOPES } from '../../../src/directory/okta';
import { OktaStandin } from '../../support/okta-standin';
import { everythingSaid, makeServiceKey, rejection, settingsFor } from './okta-fixtures';

describe('Okta adapter keeps its secrets out of errors', () => {
  let standin: OktaStandin;
  before(async () => {
    standin = await new OktaStandin().start();
  });
  after(async () => {
    await standin.stop();
  });

  it('says neither the key nor the token, in any failure, even when the answer quotes them', async () => {
    const key = makeServiceKey();
    const app = standin.state.registerApp(
      [{ kid: key.kid, publicKey: key.publicKey }],
      [...OKTA_SCOPES],
    );
    const user = standin.state.addUser('rita@contoso.com');
    const jwk = JSON.parse(key.jwk) as Record<string, string>;
    const pemLines = key.pem.split('\n').filter((l) => l.length >= 16 && !l.startsWith('-----'));
    const errors: DirectoryError[] = [];
    for (const format of ['pem', 'jwk'] as const) {
      const dir = new OktaSdkDirectory(settingsFor(standin.orgUrl, app.clientId, key, format));
      await dir.getUser(user.id);
      const token = standin.state.issuedTokens.at(-1) ?? '';
      assert.ok(token.length > 20);
      // Answers that quote a secret back: a 503 with the token, a 400 with a line of the key.
      standin.faults.add({
        path: /lifecycle\/suspend$/,
        status: 503,
        message: `upstream saw Bearer ${token}`,
      });
      errors.push(await rejection(dir.suspendUser(user.id)));
      standin.faults.add({
        path: /lifecycle\/suspend$/,
        status: 400,
        code: 'E0000001',
        message: `bad ${pemLines[3]} ${jwk['d']}`,
      });
      errors.push(await rejection(dir.suspendUser(user.id)));
      standin.faults.add({ path: /^\/api\/v1\/users$/, status: 429 });
      errors.push(await rejection(dir.findUser('rita@contoso.com')));
      // The token loses its scope: a 403.
      for (const issued of standin.state.tokens.values()) issued.scopes = [];
      errors.push(await rejection(dir.clearSessions(user.id)));
      // The app loses its grants: the next token request is refused (invalid_scope).
      standin.state.tokens.clear();
      app.grantedScopes.clear();
      errors.push(await rejection(dir.getUser(user.id)));
      OKTA_SCOPES.forEach((s) => app.grantedScopes.add(s));
    }
    // A key Okta does not know (invalid_client), and an org that is not there.
    const stranger = { ...makeServiceKey(), kid: key.kid };
    errors.push(
      await rejection(
        new OktaSdkDirectory(settingsFor(standin.orgUrl, app.clientId, stranger)).getUser(user.id),
      ),
    );
    errors.push(
      await rejection(
        new OktaSdkDirectory(settingsFor('https://127.0.0.1:1', app.clientId, key), {
          timeoutMs: 2_000,
        }).getUser(user.id),
      ),
    );

    assert.deepEqual(
      errors.map((e) => e.kind),
      [
        ...['transient', 'rejected', 'throttled', 'permission', 'permission'],
        ...['transient', 'rejected', 'throttled', 'permission', 'permission'],
        'permission',
        'transient',
      ],
    );
    const secrets = [
      ...pemLines,
      ...['d', 'p', 'q', 'dp', 'dq', 'qi'].map((m) => jwk[m] ?? ''),
      ...stranger.pem.split('\n').filter((l) => l.length >= 16 && !l.startsWith('-----')),
      ...standin.state.issuedTokens,
    ];
    for (const error of errors) {
      const said = everythingSaid(error);
      for (const secret of secrets)
        assert.ok(!said.includes(secret), `secret in: ${error.message}`);
    }
    assert.match(errors[0]?.message ?? '', /Bearer \[redacted\]/);
  });
});
