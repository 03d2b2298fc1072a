import * as vscode from 'vscode';
import { redactSecrets } from '../keys/model/apiKeyShape';

/** The "Claude Pacer" log channel; every line passes through key redaction. */
export class Logger implements vscode.Disposable {
  readonly #channel: vscode.LogOutputChannel;
  readonly #secrets: () => Iterable<string>;

  /** `secrets` lists the stored keys so any echo of them is replaced by `…last4`. */
  constructor(secrets: () => Iterable<string>) {
    this.#channel = vscode.window.createOutputChannel('Claude Pacer', { log: true });
    this.#secrets = secrets;
  }

  /** Writes a line at `level`, tagged with a component. */
  write(level: 'trace' | 'debug' | 'info' | 'warn' | 'error', component: string, message: string): void {
    this.#channel[level](`[${component}] ${redactSecrets(message, this.#secrets())}`);
  }

  /** Opens the channel. */
  show(): void {
    this.#channel.show(true);
  }

  dispose(): void {
    this.#channel.dispose();
  }
}
