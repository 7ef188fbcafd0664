// The systems beyond Microsoft's that access paths act on (a SaaS app's API), each under a typed
// key its path module declares. The composition root registers the ones configured; a path whose
// connector is absent plans nothing. A new path thus needs no new field on any shared type.

/** A typed name for one connector: `key<OktaDirectory>('okta')`. */
export interface ConnectorKey<T> {
  readonly name: string;
  /** Never set: carries the connector's type. */
  readonly type?: T;
}

export function connectorKey<T>(name: string): ConnectorKey<T> {
  return { name };
}

export class Connectors {
  private readonly byName = new Map<string, unknown>();

  /** Throws on a second registration under one name: two connectors would fight over one path. */
  set<T>(key: ConnectorKey<T>, connector: T): this {
    if (this.byName.has(key.name)) throw new Error(`Connector ${key.name} is registered twice.`);
    this.byName.set(key.name, connector);
    return this;
  }

  get<T>(key: ConnectorKey<T>): T | undefined {
    // Only `set` writes under a key, and it takes the key's own type.
    return this.byName.get(key.name) as T | undefined;
  }

  get names(): string[] {
    return [...this.byName.keys()];
  }
}
