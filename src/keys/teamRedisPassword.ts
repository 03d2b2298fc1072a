import * as vscode from 'vscode';

/** SecretStorage entry of the team Redis password. */
const SECRET_KEY = 'claudePacer.coordination.redisPassword';

/**
 * The password of the team's Redis (`coordination.redisUrl`), in SecretStorage only: never in
 * settings, logs or the URL. Cached in memory for the connection; a change made in another window
 * arrives through SecretStorage and fires {@link onDidChange} here too.
 */
export class TeamRedisPassword implements vscode.Disposable {
  readonly #secrets: vscode.SecretStorage;
  readonly #changed = new vscode.EventEmitter<void>();
  readonly #subscription: vscode.Disposable;
  #value = '';
  /** Fires after the stored password changed (this window or another). */
  readonly onDidChange = this.#changed.event;

  /** Wraps the extension's SecretStorage. Call `load()` before use. */
  constructor(secrets: vscode.SecretStorage) {
    this.#secrets = secrets;
    this.#subscription = secrets.onDidChange((event) => {
      if (event.key === SECRET_KEY) void this.load();
    });
  }

  /** The stored password, '' for none. */
  get value(): string {
    return this.#value;
  }

  /** Reads the stored password (a SecretStorage failure counts as none). */
  async load(): Promise<void> {
    const stored = await Promise.resolve(this.#secrets.get(SECRET_KEY)).catch(() => undefined);
    const value = stored ?? '';
    if (value === this.#value) return;
    this.#value = value;
    this.#changed.fire();
  }

  /** Stores `password`; '' removes it. */
  async set(password: string): Promise<void> {
    if (password === '') await this.#secrets.delete(SECRET_KEY);
    else await this.#secrets.store(SECRET_KEY, password);
    await this.load();
  }

  /** Stops listening to SecretStorage. */
  dispose(): void {
    this.#subscription.dispose();
    this.#changed.dispose();
  }
}
