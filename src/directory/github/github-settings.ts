// The GitHub connector's settings, as src/connectors/github.ts reads them from the environment.

export interface GithubSettings {
  mode: 'org' | 'emu';
  /** The organisation's login (org mode). */
  org?: string;
  /** The enterprise's slug (EMU mode). */
  enterprise?: string;
  /** The REST API root: https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server. */
  apiUrl: string;
  /** Stays inside the adapter: never logged, shown or stored. */
  token: string;
  /** The variable the token was read from: named in advice, never the token. */
  tokenEnv: string;
  /** How long one call may take. */
  timeoutMs?: number;
}
