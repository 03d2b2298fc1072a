/** What the core knows of a stored key: never the secret. */
export interface KeyInfo {
  readonly id: string;
  readonly label: string;
  /** Last four characters of the key, the only part ever shown. */
  readonly last4: string;
}

/** Why a key cannot be used. */
export type KeyBlock =
  | { readonly kind: 'rejected'; readonly reason: string }
  | { readonly kind: 'spend_limit'; readonly reason: string; readonly untilMs?: number }
  | { readonly kind: 'billing'; readonly reason: string }
  | { readonly kind: 'daily_budget'; readonly reason: string; readonly untilMs?: number };

/**
 * An outside rule that may hold a key back (e.g. the user's daily budget per key); returns the
 * block, or undefined when the key may be used.
 */
export type KeyGate = (keyId: string, nowMs: number) => KeyBlock | undefined;

interface KeyRecord {
  readonly info: KeyInfo;
  organizationId: string;
  isOrganizationKnown: boolean;
  quarantine?: KeyBlock;
  lastUsedMs: number;
}

/** Prefix of the provisional organization each key has until a response names the real one. */
export const PROVISIONAL_ORG_PREFIX = 'key:';

/** True once a response named the organization (not a key's provisional one). */
export function isKnownOrganization(organizationId: string): boolean {
  return !organizationId.startsWith(PROVISIONAL_ORG_PREFIX);
}

/**
 * The stored keys and what responses taught us about them: which organization each belongs to
 * (keys of one organization share one budget), which were rejected, which organizations are blocked.
 */
export class KeyPool {
  #keys = new Map<string, KeyRecord>();
  #orgBlocks = new Map<string, KeyBlock>();
  #gate: KeyGate | undefined;

  /** Installs (or removes) an outside rule consulted for every key. */
  setGate(gate: KeyGate | undefined): void {
    this.#gate = gate;
  }

  /** Replaces the key list; state of keys that stay is kept, removed keys are forgotten. */
  setKeys(keys: readonly KeyInfo[]): void {
    const next = new Map<string, KeyRecord>();
    for (const info of keys) {
      const existing = this.#keys.get(info.id);
      next.set(
        info.id,
        existing
          ? { ...existing, info }
          : {
              info,
              organizationId: PROVISIONAL_ORG_PREFIX + info.id,
              isOrganizationKnown: false,
              lastUsedMs: 0,
            },
      );
    }
    this.#keys = next;
  }

  /** Whether the key is still stored. */
  has(keyId: string): boolean {
    return this.#keys.has(keyId);
  }

  /** Number of stored keys. */
  get size(): number {
    return this.#keys.size;
  }

  /** The key's organization (provisional until learned). */
  organizationOf(keyId: string): string {
    return this.#keys.get(keyId)?.organizationId ?? PROVISIONAL_ORG_PREFIX + keyId;
  }

  /** Records the organization a response revealed; returns true when it changed. */
  learnOrganization(keyId: string, organizationId: string): boolean {
    const record = this.#keys.get(keyId);
    if (!record || record.organizationId === organizationId) return false;
    record.organizationId = organizationId;
    record.isOrganizationKnown = true;
    return true;
  }

  /** Takes a key out of rotation (401/403) until the user tests or replaces it. */
  quarantine(keyId: string, block: KeyBlock): void {
    const record = this.#keys.get(keyId);
    if (record) record.quarantine = block;
  }

  /** Puts a quarantined key back (the user tested it successfully). */
  release(keyId: string): void {
    const record = this.#keys.get(keyId);
    if (record) delete record.quarantine;
  }

  /** Blocks a whole organization (spend cap, billing), until `untilMs` when known. */
  blockOrganization(organizationId: string, block: KeyBlock): void {
    this.#orgBlocks.set(organizationId, block);
  }

  /** Lifts organization blocks (the user asked to retry). */
  clearOrganizationBlocks(): void {
    this.#orgBlocks.clear();
  }

  /** Why the key cannot be used now, or undefined when it can. */
  blockOf(keyId: string, nowMs: number): KeyBlock | undefined {
    const record = this.#keys.get(keyId);
    if (!record) return { kind: 'rejected', reason: 'The key was removed.' };
    if (record.quarantine) return record.quarantine;
    const gated = this.#gate?.(keyId, nowMs);
    if (gated) return gated;
    const orgBlock = this.#orgBlocks.get(record.organizationId);
    if (
      orgBlock &&
      orgBlock.kind === 'spend_limit' &&
      orgBlock.untilMs !== undefined &&
      orgBlock.untilMs <= nowMs
    ) {
      this.#orgBlocks.delete(record.organizationId);
      return undefined;
    }
    return orgBlock;
  }

  /** Usable keys, least recently used first. */
  usableKeys(nowMs: number): KeyInfo[] {
    return [...this.#keys.values()]
      .filter((r) => this.blockOf(r.info.id, nowMs) === undefined)
      .sort((a, b) => a.lastUsedMs - b.lastUsedMs)
      .map((r) => r.info);
  }

  /** Notes that a request was just sent with this key (for least-recently-used rotation). */
  markUsed(keyId: string, nowMs: number): void {
    const record = this.#keys.get(keyId);
    if (record) record.lastUsedMs = Math.max(record.lastUsedMs + 1, nowMs);
  }

  /** Keys with their organization and block, for display. */
  describe(nowMs: number): Array<{ info: KeyInfo; organizationId?: string; block?: KeyBlock }> {
    return [...this.#keys.values()].map((r) => {
      const block = this.blockOf(r.info.id, nowMs);
      return {
        info: r.info,
        ...(r.isOrganizationKnown ? { organizationId: r.organizationId } : {}),
        ...(block ? { block } : {}),
      };
    });
  }
}
