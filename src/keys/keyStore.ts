import * as vscode from 'vscode';
import { last4Of } from './model/apiKeyShape';
import type { KeyInfo } from '../pacer/index';

const INDEX = 'claudePacer.keys';
const SECRET_PREFIX = 'claudePacer.key.';

/** A stored key's metadata (the secret itself is a separate SecretStorage entry). */
export interface StoredKeyInfo extends KeyInfo {
  readonly addedAtMs: number;
}

function parseIndex(raw: string | undefined): StoredKeyInfo[] {
  if (!raw) return [];
  try {
    const value: unknown = JSON.parse(raw);
    if (!Array.isArray(value)) return [];
    return value.filter(
      (k): k is StoredKeyInfo =>
        typeof k === 'object' &&
        k !== null &&
        typeof (k as StoredKeyInfo).id === 'string' &&
        typeof (k as StoredKeyInfo).label === 'string' &&
        typeof (k as StoredKeyInfo).last4 === 'string',
    );
  } catch {
    return [];
  }
}

/**
 * API keys in VS Code SecretStorage only: an index of labels and last four characters, and one
 * entry per secret. Secrets are cached in memory for the transport; a change made in another
 * window arrives through `onDidChange` and reloads the cache.
 */
export class KeyStore implements vscode.Disposable {
  readonly #secrets: vscode.SecretStorage;
  #keys: StoredKeyInfo[] = [];
  #values = new Map<string, string>();
  readonly #changed = new vscode.EventEmitter<readonly StoredKeyInfo[]>();
  /** Operations run one at a time: a reload triggered by our own write must not read a half-written state. */
  #queue: Promise<unknown> = Promise.resolve();
  readonly #subscription: vscode.Disposable;
  /** Fires with the new key list after any change (this window or another). */
  readonly onDidChange = this.#changed.event;

  /** Wraps the extension's SecretStorage. Call `load()` before use. */
  constructor(secrets: vscode.SecretStorage) {
    this.#secrets = secrets;
    this.#subscription = secrets.onDidChange((e) => {
      if (e.key === INDEX || e.key.startsWith(SECRET_PREFIX)) void this.load();
    });
  }

  /** Reads the index and every secret into memory. */
  load(): Promise<void> {
    return this.#exclusive(() => this.#load());
  }

  #exclusive<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(operation, operation);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #load(): Promise<void> {
    const keys = parseIndex(await this.#secrets.get(INDEX));
    const values = new Map<string, string>();
    for (const key of keys) {
      const value = await this.#secrets.get(SECRET_PREFIX + key.id);
      if (value) values.set(key.id, value);
    }
    this.#keys = keys.filter((k) => values.has(k.id));
    this.#values = values;
    this.#changed.fire(this.#keys);
  }

  /** Stored keys (no secrets). */
  list(): readonly StoredKeyInfo[] {
    return this.#keys;
  }

  /** The secret of a stored key, for the transport only. */
  secretFor(keyId: string): string | undefined {
    return this.#values.get(keyId);
  }

  /** Every secret, for redaction. */
  allSecrets(): Iterable<string> {
    return this.#values.values();
  }

  /** Stores a new key; returns its metadata. */
  add(secret: string, label: string): Promise<StoredKeyInfo> {
    return this.#exclusive(() => this.#add(secret, label));
  }

  async #add(secret: string, label: string): Promise<StoredKeyInfo> {
    const value = secret.trim();
    const existing = [...this.#values.entries()].find(([, v]) => v === value);
    if (existing)
      throw new Error(
        vscode.l10n.t(
          'This key is already stored as "{0}".',
          this.#keys.find((k) => k.id === existing[0])?.label ?? existing[0],
        ),
      );
    const info: StoredKeyInfo = {
      id: `key-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
      label: label.trim() || vscode.l10n.t('Key …{0}', last4Of(value)),
      last4: last4Of(value),
      addedAtMs: Date.now(),
    };
    await this.#secrets.store(SECRET_PREFIX + info.id, value);
    this.#values.set(info.id, value);
    await this.#writeIndex([...this.#keys, info]);
    return info;
  }

  /** Changes a key's label. */
  rename(keyId: string, label: string): Promise<void> {
    // Exclusive like add: reading the list outside the queue could write back a list without a key added meanwhile.
    return this.#exclusive(() =>
      this.#writeIndex(
        this.#keys.map((k) => (k.id === keyId ? { ...k, label: label.trim() || k.label } : k)),
      ),
    );
  }

  /** Removes one key. */
  remove(keyId: string): Promise<void> {
    return this.#exclusive(async () => {
      await this.#writeIndex(this.#keys.filter((k) => k.id !== keyId));
      await this.#secrets.delete(SECRET_PREFIX + keyId);
      this.#values.delete(keyId);
    });
  }

  /** Removes every key. */
  removeAll(): Promise<void> {
    return this.#exclusive(async () => {
      const ids = this.#keys.map((k) => k.id);
      await this.#writeIndex([]);
      for (const id of ids) await this.#secrets.delete(SECRET_PREFIX + id);
      this.#values.clear();
    });
  }

  async #writeIndex(keys: StoredKeyInfo[]): Promise<void> {
    this.#keys = keys;
    await this.#secrets.store(INDEX, JSON.stringify(keys));
    this.#changed.fire(this.#keys);
  }

  dispose(): void {
    this.#subscription.dispose();
    this.#changed.dispose();
  }
}
