// The real app in graph mode against the HTTPS Entra ID + Graph stand-in, as a deployment with a
// real tenant runs it (bot authentication off: these tests are not about it).
import { buildApp, type AppOverrides, type RevokeApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { projectRoot } from '../../src/project-root';
import { captureLogger } from './capture-logger';
import { testAuditKeyText } from './memory-audit-log';
import type { EntraStandin } from './entra-standin';

export async function startGraphModeApp(
  standin: EntraStandin,
  options: {
    approverGroupId: string;
    roles: string[];
    /** More variables, e.g. a connector's pointed at its stand-in. */
    env?: Record<string, string>;
    /** E.g. a clock that moves only when the test says so. */
    overrides?: AppOverrides;
  },
): Promise<{ app: RevokeApp; baseUrl: string }> {
  const secret = 'graph-mode-app-secret';
  const client = standin.state.addApp({ roles: options.roles, secrets: [secret] });
  const config = loadConfig(
    {
      DATABASE_URL: 'sqlite::memory:',
      AZURE_TENANT_ID: standin.tenantId,
      AZURE_CLIENT_ID: client.clientId,
      AZURE_CLIENT_SECRET: secret,
      AZURE_AUTHORITY_HOST: standin.origin,
      GRAPH_BASE_URL: standin.origin,
      APPROVER_GROUP_ID: options.approverGroupId,
      INSECURE_SKIP_BOT_AUTH: 'true',
      HOST: '127.0.0.1',
      AUDIT_KEY: testAuditKeyText(),
      AUDIT_SINK: 'off',
      ...options.env,
    },
    projectRoot(),
  );
  const app = await buildApp(config, { logger: captureLogger(), ...options.overrides });
  return { app, baseUrl: await app.start(0, '127.0.0.1') };
}
