import * as vscode from 'vscode';
import { pageAssets } from '../webviewHost/pageAssets';
import { oversizedSendNotice } from './model/chatPromptSize';
import { parseWebviewMessage, type HostMessage } from './model/chatProtocol';
import type { AgentChat } from '../agent/agentChat';
import type { Logger } from '../service/logger';
import type { ChatController } from './chatController';
import { chatHtml } from './chatHtml';
import { localizedPageStrings } from './chatPageStrings';
import { pageLocalize } from './model/pageStrings';
import { routePageMessage } from './pageMessages';

/** Id of the chat webview view (package.json `views`). */
export const CHAT_VIEW_ID = 'claudePacer.chat';

/** Serves the chat page and connects it to the controller; every page message is validated first. */
export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  readonly #extensionUri: vscode.Uri;
  readonly #controller: ChatController;
  readonly #agent: AgentChat;
  readonly #logger: Logger;
  #subscriptions: vscode.Disposable[] = [];
  #view: vscode.WebviewView | undefined;

  constructor(extensionUri: vscode.Uri, controller: ChatController, agent: AgentChat, logger: Logger) {
    this.#extensionUri = extensionUri;
    this.#controller = controller;
    this.#agent = agent;
    this.#logger = logger;
  }

  /** True once the view has been shown at least once and is still open. */
  get isResolved(): boolean {
    return this.#view !== undefined;
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.#disconnect();
    this.#view = view;
    const assets = vscode.Uri.joinPath(this.#extensionUri, 'media', 'chat', 'dist');
    const webview = view.webview;
    // Scripts on, command links off, and only the built assets folder is readable.
    webview.options = { enableScripts: true, enableCommandUris: false, localResourceRoots: [assets] };
    const strings = localizedPageStrings();
    webview.html = chatHtml({ ...pageAssets(webview, assets, 'chat'), strings });
    this.#subscriptions = [
      webview.onDidReceiveMessage((raw: unknown) => {
        const message = parseWebviewMessage(raw);
        if (!message) {
          this.#logger.write('warn', 'chat', 'dropped a malformed message from the chat page');
          // Dropped, but not silently: the page keeps the prompt in its box and shows why.
          const tooLong = oversizedSendNotice(raw, pageLocalize(strings));
          if (tooLong) void webview.postMessage({ type: 'notice', level: 'error', text: tooLong });
          return;
        }
        routePageMessage(this.#controller, this.#agent, message).catch((error: unknown) => {
          this.#logger.write('error', 'chat', `handling "${message.type}" failed: ${String(error)}`);
        });
      }),
      view.onDidDispose(() => {
        if (this.#view === view) {
          this.#disconnect();
          this.#view = undefined;
        }
      }),
    ];
    const port = {
      post: (message: HostMessage) => {
        void webview.postMessage(message);
      },
    };
    this.#controller.attachView(port);
    this.#agent.attachView(port);
  }

  /** Asks the page to focus its composer. */
  focusComposer(): void {
    void this.#view?.webview.postMessage({ type: 'focus' });
  }

  #disconnect(): void {
    this.#controller.attachView(undefined);
    this.#agent.attachView(undefined);
    for (const d of this.#subscriptions) d.dispose();
    this.#subscriptions = [];
  }

  dispose(): void {
    this.#disconnect();
  }
}
