// A sandbox tenant with many extra users (the bundled demo people plus `count` generated ones,
// each with one device; every tenth synced from AD), for mass-revocation tests.
import { readFileSync } from 'node:fs';
import { bundledTenantPath } from '../../src/directory/sandbox';

export interface MassTenant {
  document: Record<string, unknown>;
  upns: string[];
}

export function massTenant(count: number): MassTenant {
  const document = JSON.parse(readFileSync(bundledTenantPath(), 'utf8')) as Record<string, unknown>;
  const users = document['users'] as Record<string, unknown>[];
  const upns: string[] = [];
  for (let i = 0; i < count; i++) {
    const hex = i.toString(16).padStart(12, '0');
    const upn = `mass.user${i}@contoso.com`;
    upns.push(upn);
    const user: Record<string, unknown> = {
      id: `aaaaaaaa-0000-4000-8000-${hex}`,
      userPrincipalName: upn,
      displayName: `Mass User ${i}`,
      accountEnabled: true,
      devices: [
        {
          id: `dddddddd-0000-4000-8000-${hex}`,
          displayName: `MASS-${i}-LAPTOP`,
          accountEnabled: true,
        },
      ],
    };
    if (i % 10 === 0) {
      user['onPremises'] = {
        dn: `CN=Mass User ${i},OU=Users,DC=corp,DC=contoso,DC=com`,
        samAccountName: `mass${i}`,
        securityIdentifier: `S-1-5-21-1004336348-1177238915-682003330-${20000 + i}`,
        userAccountControl: 512,
        pwdLastSet: '133814034000000000',
      };
    }
    users.push(user);
  }
  return { document, upns };
}
