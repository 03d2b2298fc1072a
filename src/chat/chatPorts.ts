import type { RequestResult } from '../pacer/index';
import type { HostMessage } from './model/chatProtocol';

/** Where the chat controller sends what the page should show (the webview, when it is open). */
export interface ChatViewPort {
  post(message: HostMessage): void;
}

/** How a chat answer ended, for commands and tests; `queued` when it waits behind the answer in progress. */
export interface ChatAnswerOutcome {
  readonly messageId: string;
  readonly status: RequestResult['status'] | 'busy' | 'queued';
  /** The answer's whole text (with any earlier partial text it continued). */
  readonly text: string;
}
