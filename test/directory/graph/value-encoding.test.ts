// Every value Revoke puts into a Graph URL or $filter is encoded, so the stand-in (which parses
// what arrives as Graph does) sees exactly the value that was meant: a quote cannot end the
// OData string, and `#`, `/`, `?`, `%`, `&`, `+` cannot end or redirect the path or the query.
import assert from 'node:assert/strict';
import { DirectoryError } from '../../../src/core/errors';
import { GraphContainmentDirectory } from '../../../src/directory/graph';
import { odataEq, odataString } from '../../../src/directory/graph/odata';
import { directoryWithRoles, startHarness, type Harness } from './fixtures';

const AWKWARD_UPNS = [
  "o'neil@contoso.com",
  "o''neil@contoso.com",
  'hash#tag@contoso.com',
  'guest_fabrikam.com#EXT#@contoso.onmicrosoft.com',
  'slash/part@contoso.com',
  'what?select=id@contoso.com',
  'pct%27x@contoso.com',
  'amp&x=1@contoso.com',
  'plus+ops@contoso.com',
  '$dollar@contoso.com',
  'back\\slash@contoso.com',
  "x' or 1 eq 1 or userPrincipalName eq 'y@contoso.com",
];

describe('GraphDirectory: values reach Graph exactly (URL and $filter encoding)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.standin.stop();
  });

  it('finds each awkward UPN as exactly that user, with a near twin present', async () => {
    for (const upn of AWKWARD_UPNS) {
      const seeded = h.standin.state.addUser({ userPrincipalName: upn });
      // What a truncated or mis-split value would find instead.
      h.standin.state.addUser({ userPrincipalName: `${upn.replace(/[^a-z@.]/gi, '')}x` });
      const found = await h.directory.findUser(upn);
      assert.equal(found?.id, seeded.id, upn);
      assert.equal(found?.userPrincipalName, upn, upn);
    }
  });

  it('odataString: one contract, a quoted literal percent-encoded for the query string', () => {
    for (const value of ["o'neil", "a''b", 'x#y', 'a&b=c', 'p+q', '50%', 'q?r', 's/t', 'sp ace']) {
      const encoded = odataString(value);
      assert.equal(decodeURIComponent(encoded), `'${value.replace(/'/g, "''")}'`, value);
      assert.doesNotMatch(encoded, /[#&+?/ %](?![0-9A-F]{2})/, value);
      assert.doesNotMatch(encoded, /[#&+? /]/, value);
    }
    assert.equal(odataEq('mail', "o'n#x"), "mail%20eq%20'o''n%23x'");
  });

  it('consent grants are filtered by exactly the principal id, whatever it holds', async () => {
    const graph = directoryWithRoles(h, ['Directory.Read.All']);
    assert.ok(graph instanceof GraphContainmentDirectory);
    for (const principalId of ["o'x#1&y", 'plain']) {
      const grant = h.standin.state.containment.addGrant({
        clientId: 'c',
        principalId,
        scope: 's',
      });
      const grants = await graph.listOAuthGrants(principalId);
      assert.deepEqual(
        grants.map((g) => g.id),
        [grant.id],
        principalId,
      );
    }
  });

  it('an OData injection finds nobody rather than everybody', async () => {
    h.standin.state.addUser({ userPrincipalName: 'victim@contoso.com' });
    for (const attempt of [
      "' or 1 eq 1 or mail eq '@contoso.com",
      "nobody@contoso.com' or userPrincipalName ne '",
      "nobody@contoso.com')&$filter=true",
    ]) {
      assert.equal(await h.directory.findUser(attempt), undefined, attempt);
    }
  });

  it('ids with reserved characters stay one path segment', async () => {
    h.standin.log.reset();
    for (const id of ['../groups', 'a/b', 'x?$select=passwordProfile', 'x#y']) {
      assert.equal(await h.directory.getUser(id), undefined, id);
      await assert.rejects(h.directory.disableUser(id), DirectoryError, id);
    }
    const routes = new Set(h.standin.log.calls.map((c) => c.route));
    assert.deepEqual(
      [...routes].sort(),
      ['GET /users/{id}', 'PATCH /users/{id}'],
      [...routes].join(),
    );
  });
});
