import type { IncomingHttpHeaders } from 'node:http';
import type { OrganizationConfig, SimulatorConfig, WorkspaceConfig } from './config';

/** API versions the simulator accepts (`anthropic-version`). */
export const supportedVersions = ['2023-06-01', '2026-10-21'] as const;

/** An accepted `anthropic-version`. */
export type ApiVersion = (typeof supportedVersions)[number];

/** A key as presented by the client, and how. */
export interface Credentials {
  readonly key: string;
  readonly via: 'x-api-key' | 'bearer';
}

/** Who a configured key belongs to. */
export interface Principal {
  readonly key: string;
  readonly org: OrganizationConfig;
  readonly workspace?: WorkspaceConfig;
}

/** Reads `x-api-key` (preferred) or `Authorization: Bearer <key>`; undefined when neither is present. */
export function readCredentials(headers: IncomingHttpHeaders): Credentials | undefined {
  const apiKey = headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey !== '') return { key: apiKey, via: 'x-api-key' };
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
  return match ? { key: match[1]!, via: 'bearer' } : undefined;
}

/** The 401 message for an unknown or revoked key, worded per auth scheme as the real API does. */
export function invalidKeyMessage(credentials: Credentials): string {
  return credentials.via === 'x-api-key' ? 'invalid x-api-key' : 'Invalid bearer token';
}

/** Maps configured keys to their organization and workspace. */
export class KeyDirectory {
  readonly #principals = new Map<string, Principal>();
  readonly #orgs = new Map<string, OrganizationConfig>();

  constructor(config: SimulatorConfig) {
    for (const org of config.organizations) {
      this.#orgs.set(org.id, org);
      for (const key of org.keys) this.#principals.set(key, { key, org });
      for (const workspace of org.workspaces)
        for (const key of workspace.keys) this.#principals.set(key, { key, org, workspace });
    }
  }

  /** The owner of `key`, or undefined if it is not configured. */
  lookup(key: string): Principal | undefined {
    return this.#principals.get(key);
  }

  /** The organization with `id`, or undefined. */
  organization(id: string): OrganizationConfig | undefined {
    return this.#orgs.get(id);
  }

  /** The organization owning workspace `id`, with the workspace, or undefined. */
  workspace(id: string): { org: OrganizationConfig; workspace: WorkspaceConfig } | undefined {
    for (const org of this.#orgs.values()) {
      const workspace = org.workspaces.find((w) => w.id === id);
      if (workspace) return { org, workspace };
    }
    return undefined;
  }
}
