// Done-when of Shared Signals: a revocation asked for and approved through /api/messages, by the
// real app in graph mode (Entra stand-in), ends with verified SETs at two receivers: Okta, static
// from SSF_RECEIVERS, and Google Workspace, whose stream it created itself through the management
// API. The card and "What may still work" name each receiver and when it acknowledged; the doctor
// sends each static receiver a verification event.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { RevokeApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { projectRoot } from '../../src/project-root';
import type { Person } from '../../src/core/model';
import { SSF_EVENTS } from '../../src/core/saas/ssf-port';
import { CHANNEL_CONVERSATION, TENANT_ID } from '../support/activities';
import { ConnectorStandin } from '../support/connector-standin';
import { cardText } from '../support/card-text';
import { EntraStandin } from '../support/entra-standin';
import { startGraphModeApp } from '../support/graph-mode-app';
import { SsfReceiverStandin } from '../support/ssf-receiver-standin';
import { tlsFront } from '../support/ssf-receiver-standin/tls-front';
import { writeKeyPair } from '../support/ssf-transmitter-harness';
import { testAuditKeyText } from '../support/memory-audit-log';
import type { TlsListener } from '../support/test-tls-server';
import { LEAST_PRIVILEGE_ROLES } from '../integration/hybrid-tenant';
import { requestAndApprove } from '../integration/revocation-driver';

const OKTA_AUDIENCE = 'https://contoso.okta.example.test';
const GOOGLE_AUDIENCE = 'https://workspace.google.example.test/contoso';
const OKTA_PUSH_TOKEN = 'okta-push-token-0123456789abcdef0123';
const GOOGLE_MANAGEMENT_TOKEN = 'google-management-token-0123456789abcdef';

describe('a revocation through /api/messages signals two Shared Signals receivers', function () {
  this.timeout(60_000);
  let dir: string;
  let standin: EntraStandin;
  let connector: ConnectorStandin;
  let serviceUrl: string;
  let okta: SsfReceiverStandin;
  let google: SsfReceiverStandin;
  let front: TlsListener & { origin: string };
  let app: RevokeApp;
  let env: Record<string, string>;
  let appPort = 0;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'revoke-ssf-e2e-'));
    standin = await new EntraStandin({ tenantId: TENANT_ID }).start();
    connector = new ConnectorStandin();
    serviceUrl = await connector.start();
    front = await tlsFront(() => appPort);
    okta = new SsfReceiverStandin({
      issuer: front.origin,
      audience: OKTA_AUDIENCE,
      token: OKTA_PUSH_TOKEN,
    });
    google = new SsfReceiverStandin({ issuer: front.origin, audience: GOOGLE_AUDIENCE });
    await okta.start();
    await google.start();
  });

  after(async () => {
    await app?.stop();
    await front.close();
    await okta.stop();
    await google.stop();
    await connector.stop();
    await standin.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers verified SETs to the static receiver and to the one that created its stream', async () => {
    const state = standin.state;
    const person = (upn: string, name: string): Person => {
      const user = state.addUser({ userPrincipalName: upn, displayName: name });
      const p = { id: user.id, name, upn, channelAccountId: `29:${user.id}` };
      connector.addMember(CHANNEL_CONVERSATION, {
        id: p.channelAccountId,
        name,
        aadObjectId: user.id,
        userPrincipalName: upn,
      });
      return p;
    };
    const sam = person('sam.rivera@contoso.test', 'Sam Rivera');
    const approvers: [Person, Person] = [
      person('priya.patel@contoso.test', 'Priya Patel'),
      person('marcus.chen@contoso.test', 'Marcus Chen'),
    ];
    const target = state.addUser({
      userPrincipalName: 'alice.johnson@contoso.test',
      displayName: 'Alice Johnson',
    });
    const group = state.addGroup({
      displayName: 'Revoke approvers',
      memberIds: approvers.map((a) => a.id),
    });
    env = {
      SSF_ISSUER: front.origin,
      SSF_SIGNING_KEY: writeKeyPair(dir, 'signing').privateFile,
      SSF_RECEIVERS: JSON.stringify([
        {
          name: 'okta',
          pushUrl: okta.pushUrl,
          audience: OKTA_AUDIENCE,
          tokenVariable: 'SSF_OKTA_PUSH_TOKEN',
        },
      ]),
      SSF_OKTA_PUSH_TOKEN: OKTA_PUSH_TOKEN,
      SSF_STREAM_CLIENTS: JSON.stringify([
        { name: 'google', audience: GOOGLE_AUDIENCE, tokenVariable: 'SSF_GOOGLE_TOKEN' },
      ]),
      SSF_GOOGLE_TOKEN: GOOGLE_MANAGEMENT_TOKEN,
    };
    let baseUrl: string;
    ({ app, baseUrl } = await startGraphModeApp(standin, {
      approverGroupId: group.id,
      roles: LEAST_PRIVILEGE_ROLES,
      env,
    }));
    appPort = Number(new URL(baseUrl).port);
    assert.equal(appPort, (app.server.address() as AddressInfo).port);

    // Google Workspace creates its stream, asking for session-revoked only.
    const created = await fetch(`${front.origin}/ssf/streams`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${GOOGLE_MANAGEMENT_TOKEN}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        delivery: { method: 'urn:ietf:rfc:8935', endpoint_url: google.pushUrl },
        events_requested: [SSF_EVENTS.sessionRevoked],
      }),
    });
    assert.equal(created.status, 201);

    const { cardId } = await requestAndApprove({
      baseUrl,
      connector,
      serviceUrl,
      requester: sam,
      approvers,
      upn: target.userPrincipalName,
    });
    const final = await connector.waitFor(() => {
      const last = connector.cardVersions(cardId).at(-1);
      return last && /Completed/.test(cardText(last)) && !/running/.test(cardText(last))
        ? cardText(last)
        : undefined;
    }, 30_000);

    assert.deepEqual(okta.refused, []);
    assert.deepEqual(google.refused, []);
    assert.deepEqual(
      okta.accepted.map((s) => s.type.split('/').at(-1)),
      ['account-disabled', 'session-revoked'],
    );
    assert.deepEqual(
      google.accepted.map((s) => s.type.split('/').at(-1)),
      ['session-revoked'],
    );
    for (const set of [...okta.accepted, ...google.accepted]) {
      assert.deepEqual(set.claims.sub_id, {
        format: 'email',
        email: 'alice.johnson@contoso.test',
      });
      assert.equal(set.claims.iss, front.origin);
      // As Google Workspace's example shows it: the subject in the event too.
      assert.deepEqual(set.event.subject, set.claims.sub_id);
    }
    for (const name of ['okta', 'google'])
      assert.match(
        final,
        new RegExp(`✓ verified [\\d.]+ s \\| {2}Signal ${name} \\(Shared Signals\\)`),
      );
    // "What may still work" names each receiver and when it acknowledged.
    assert.match(
      final,
      /signalled okta \(acknowledged \d{4}-\d\d-\d\d \d\d:\d\d UTC\), google \(acknowledged \d{4}-\d\d-\d\d \d\d:\d\d UTC\)/,
    );
    assert.match(final, /receiving app’s choice/);
    assert.ok(!final.includes(OKTA_PUSH_TOKEN) && !final.includes(GOOGLE_MANAGEMENT_TOKEN));
  });

  it('the doctor checks each static receiver with a verification event, revoking nobody', async () => {
    const config = loadConfig({ ...baseEnv(), ...env }, projectRoot());
    const signals = config.connectors.find((c) => c.name === 'shared-signals');
    assert.ok(signals, 'Shared Signals is configured');
    const before = okta.accepted.length;
    const results = await signals.doctor();
    assert.deepEqual(
      results.map((r) => [r.name, r.status]),
      [
        ['Shared Signals signing key', 'ok'],
        ['Shared Signals receiver okta', 'ok'],
      ],
    );
    const verification = okta.accepted.slice(before);
    assert.equal(verification.length, 1);
    assert.match(verification[0]?.type ?? '', /\/ssf\/event-type\/verification$/);

    okta.down = true;
    const down = await signals.doctor();
    okta.down = false;
    assert.equal(down[1]?.status, 'fail');
    assert.match(down[1]?.detail ?? '', /did not accept a verification event/);
  });

  /** The graph-mode settings the doctor's configuration needs besides Shared Signals. */
  function baseEnv(): Record<string, string> {
    return {
      DATABASE_URL: 'sqlite::memory:',
      AZURE_TENANT_ID: standin.tenantId,
      AZURE_CLIENT_ID: '00000000-0000-0000-0000-000000000001',
      AZURE_CLIENT_SECRET: 'doctor-test-secret',
      AZURE_AUTHORITY_HOST: standin.origin,
      GRAPH_BASE_URL: standin.origin,
      APPROVER_GROUP_ID: '00000000-0000-0000-0000-000000000002',
      INSECURE_SKIP_BOT_AUTH: 'true',
      HOST: '127.0.0.1',
      AUDIT_SINK: 'off',
      AUDIT_KEY: testAuditKeyText(),
    };
  }
});
