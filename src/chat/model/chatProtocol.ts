/**
 * The chat view's message protocol, shared by the extension host and the webview page. No DOM, no
 * VS Code: both sides import it. Every message crossing the boundary is validated on receipt with
 * `parseWebviewMessage` (here) / `parseHostMessage` (its own file); anything malformed or oversized
 * is dropped.
 */
import { bool, id, oneOf, record, str } from './protocolFields';
import type { QueuedMessage } from './followUpQueue';
import type { AgentRunView } from './agentRunView';

/** Longest prompt the page may send, in characters. */
export const MAX_PROMPT_CHARS = 200_000;
/** Longest code block the page may hand back (copy, insert, apply), in characters. */
export const MAX_CODE_CHARS = 1_000_000;
/** Longest link the page may ask to open, in characters. */
export const MAX_URL_CHARS = 2_048;
/** Longest model id the page may name. */
export const MAX_MODEL_CHARS = 100;

/** Where an assistant answer is. User messages are always `complete`. */
export type ChatMessageStatus =
  | 'complete'
  | 'pending' // queued or waiting for quota, nothing streamed yet
  | 'streaming'
  | 'interrupted' // failed or cut off (a reload, a mid-stream error): Continue / Resume
  | 'stopped' // the user pressed Stop
  | 'failed'; // failed before any text: Retry

/** Every message status, for validating untrusted input. */
export const CHAT_MESSAGE_STATUSES: readonly ChatMessageStatus[] = [
  'complete',
  'pending',
  'streaming',
  'interrupted',
  'stopped',
  'failed',
];

/** What the reviewing run's buttons in the chat ask for. */
export type AgentReviewAction = 'showDiffs' | 'acceptAll' | 'rejectAll';

/** Every review action, for validating untrusted input. */
export const AGENT_REVIEW_ACTIONS: readonly AgentReviewAction[] = ['showDiffs', 'acceptAll', 'rejectAll'];

/** Kinds of context a user message can carry: `problems` is a file's diagnostics from the Problems view. */
export type ContextKind = 'selection' | 'file' | 'problems';

/** Every context kind, for validating untrusted input. */
export const CONTEXT_KINDS: readonly ContextKind[] = ['selection', 'file', 'problems'];

/** Kinds the page's chip toggles turn on and off (the editor's selection and file). */
export type ToggleKind = 'selection' | 'file';

/** Every toggle kind, for validating untrusted input. */
export const TOGGLE_KINDS: readonly ToggleKind[] = ['selection', 'file'];

/** Most context items one message carries: the selection, the file and what was attached by picker. */
export const MAX_CONTEXT_PER_MESSAGE = 16;

/** Longest key of an attached chip. */
export const MAX_CHIP_KEY_CHARS = 2_048;

/** Context attached to a sent user message, as the page shows it (label and size, not the text). */
export interface ContextLabel {
  readonly kind: ContextKind;
  readonly label: string;
  readonly tokens: number;
}

/** One message as the page renders it. */
export interface ChatMessageView {
  readonly id: string;
  readonly role: 'user' | 'assistant';
  readonly text: string;
  readonly status: ChatMessageStatus;
  readonly context?: readonly ContextLabel[];
  /** One sentence: why it was interrupted or failed. */
  readonly note?: string;
  /** Model that answered (assistant only). */
  readonly model?: string;
}

/** A context chip above the composer: the current selection or file, or what was attached by picker, with its token estimate. */
export interface ContextChip {
  readonly kind: ContextKind;
  readonly label: string;
  readonly tokens: number;
  readonly isEnabled: boolean;
  /** Attached by the picker: clicking the chip sends `detach` with this key (no toggle). */
  readonly key?: string;
  /** Set when the attachment was cut to the size cap: says so, in words. */
  readonly note?: string;
}

/** The model the conversation's next requests use, for the composer and the wait banner. */
export interface ModelChoice {
  readonly model: string;
  /** True when chosen in the chat's picker for this conversation; false: the `claudePacer.model` setting. */
  readonly isChosen: boolean;
  /** The configured fallback model, when one is set. */
  readonly fallbackModel?: string;
}

/**
 * The model "Switch model" offers for an answer waiting on `waitingModel`: the picker's choice
 * when one was made and differs, else the fallback when it differs, else none (then no button).
 */
export function switchCandidate(waitingModel: string | undefined, choice: ModelChoice): string | undefined {
  if (choice.isChosen && choice.model !== waitingModel) return choice.model;
  const fallback = choice.fallbackModel?.trim();
  return fallback && fallback !== waitingModel ? fallback : undefined;
}

/** What the composer needs to estimate a message's input tokens without asking the host. */
export interface ComposerBudget {
  /** Input tokens of everything but the draft: system prompt, history that counts, enabled context. */
  readonly baseTokens: number;
  /** Characters per token of the estimate applied to the draft. */
  readonly charsPerToken: number;
  /** The input-token limit per minute, when known: a message above it can never be sent. */
  readonly limitTokens?: number;
  readonly model: string;
}

/** The banner shown in the conversation while an answer waits for quota or a retry. */
export interface WaitBanner {
  readonly messageId: string;
  /** What it waits for, in words: "input tokens per minute", "retry after a transient error", … */
  readonly reason: string;
  /** Time left when the host sent it; the page counts down from its own clock. */
  readonly remainingMs?: number;
  /** 1-based place in the queue. */
  readonly position?: number;
  /** True when the wait passed the configured maximum (`claudePacer.maxWaitSeconds`). */
  readonly isLong: boolean;
  /**
   * The model the user may switch this answer to, when there is one and it differs: the host decides
   * (the fallback setting, or the model picker's choice). No switch button without it.
   */
  readonly fallbackModel?: string;
  /** Why Retry now would change nothing (the page shows it disabled with the reason); absent: it retries. */
  readonly retryBlockedBy?: RetryBlock;
}

/**
 * Waits that Retry now cannot shorten: it ends cool-downs and retry waits, never the pacing of the
 * buckets (`pacing`), the queue ahead, the first response, the slower ramp or the shared budget.
 */
export type RetryBlock = 'pacing' | 'queue' | 'first_response' | 'ramp' | 'shared_budget' | 'free_slot';

/** Every retry block, for validating untrusted input. */
export const RETRY_BLOCKS: readonly RetryBlock[] = [
  'pacing',
  'queue',
  'first_response',
  'ramp',
  'shared_budget',
  'free_slot',
];

/** Messages from the extension host to the page. */
export type HostMessage =
  | { readonly type: 'state'; readonly messages: readonly ChatMessageView[]; readonly isBusy: boolean }
  | { readonly type: 'message'; readonly message: ChatMessageView; readonly isBusy: boolean }
  | { readonly type: 'delta'; readonly messageId: string; readonly text: string }
  | { readonly type: 'wait'; readonly banner: WaitBanner | null }
  | { readonly type: 'context'; readonly chips: readonly ContextChip[]; readonly budget: ComposerBudget }
  | { readonly type: 'notice'; readonly level: 'info' | 'error'; readonly text: string }
  /** The follow-ups waiting for the answer in progress, oldest first; paused after an answer that did not end well. */
  | { readonly type: 'queue'; readonly messages: readonly QueuedMessage[]; readonly isPaused: boolean }
  | { readonly type: 'focus' }
  /** One agent run, new or changed (the page replaces the run with the same id). */
  | { readonly type: 'agentRun'; readonly run: AgentRunView }
  /** Every agent run of the conversation (a page that just loaded, a new chat). */
  | { readonly type: 'agentRuns'; readonly runs: readonly AgentRunView[] }
  /** The model of the conversation's next requests (the picker's choice or the setting) and the switch candidates. */
  | { readonly type: 'model'; readonly choice: ModelChoice };

/** Messages from the page to the extension host (untrusted). */
export type WebviewMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'send'; readonly text: string }
  /** Agent mode's Send: a task Claude works on with the workspace tools. */
  | { readonly type: 'sendAgent'; readonly text: string }
  /** Cancels the agent run in progress (its Cancel button). */
  | { readonly type: 'cancelAgent'; readonly runId: string }
  /** The reviewing run's buttons: open the undecided files' diffs again, or decide on all of them. */
  | { readonly type: 'reviewAgent'; readonly runId: string; readonly action: AgentReviewAction }
  | { readonly type: 'stop' }
  | { readonly type: 'retryNow' }
  | { readonly type: 'useFallback' }
  | { readonly type: 'newChat' }
  | { readonly type: 'resume'; readonly messageId: string }
  | { readonly type: 'cancelQueued'; readonly messageId: string }
  | { readonly type: 'copyCode'; readonly code: string }
  | { readonly type: 'insertCode'; readonly code: string }
  | { readonly type: 'applyCode'; readonly code: string }
  | { readonly type: 'openLink'; readonly href: string }
  | { readonly type: 'toggleContext'; readonly kind: ToggleKind; readonly isEnabled: boolean }
  /** Copy an answer's Markdown (the host reads it from the conversation and writes the clipboard). */
  | { readonly type: 'copyAnswer'; readonly messageId: string }
  /** Ask the last question again, replacing answer `messageId`. */
  | { readonly type: 'regenerate'; readonly messageId: string }
  /** Send `text` in place of user message `messageId`, dropping the messages after it. */
  | { readonly type: 'resend'; readonly messageId: string; readonly text: string }
  /** Opens the picker of files, open editors and a file's Problems to attach. */
  | { readonly type: 'attach' }
  /** Removes an attached chip. */
  | { readonly type: 'detach'; readonly key: string }
  /** Opens the model picker. */
  | { readonly type: 'pickModel' }
  /** Opens the list of this workspace's conversations. */
  | { readonly type: 'showHistory' }
  /** Sends the waiting answer with this model instead (the banner's Switch model). */
  | { readonly type: 'switchModel'; readonly model: string };

/** Validates a message from the page; undefined when it is not exactly one of {@link WebviewMessage}. */
export function parseWebviewMessage(value: unknown): WebviewMessage | undefined {
  const m = record(value);
  if (!m) return undefined;
  switch (m['type']) {
    case 'ready':
    case 'stop':
    case 'retryNow':
    case 'useFallback':
    case 'newChat':
    case 'attach':
    case 'pickModel':
    case 'showHistory':
      return { type: m['type'] };
    case 'detach': {
      const key = str(m['key'], MAX_CHIP_KEY_CHARS, false);
      return key !== undefined ? { type: 'detach', key } : undefined;
    }
    case 'switchModel': {
      const model = str(m['model'], MAX_MODEL_CHARS, false);
      return model !== undefined && /^[\w.:@/-]+$/.test(model) ? { type: 'switchModel', model } : undefined;
    }
    case 'send':
    case 'sendAgent': {
      const text = str(m['text'], MAX_PROMPT_CHARS);
      return text !== undefined && text.trim() !== '' ? { type: m['type'], text } : undefined;
    }
    case 'cancelAgent': {
      const runId = id(m['runId']);
      return runId !== undefined ? { type: 'cancelAgent', runId } : undefined;
    }
    case 'reviewAgent': {
      const runId = id(m['runId']);
      const action = oneOf(m['action'], AGENT_REVIEW_ACTIONS);
      return runId !== undefined && action !== undefined ? { type: 'reviewAgent', runId, action } : undefined;
    }
    case 'resume':
    case 'cancelQueued':
    case 'copyAnswer':
    case 'regenerate': {
      const messageId = id(m['messageId']);
      return messageId !== undefined ? { type: m['type'], messageId } : undefined;
    }
    case 'resend': {
      const messageId = id(m['messageId']);
      const text = str(m['text'], MAX_PROMPT_CHARS);
      return messageId !== undefined && text !== undefined && text.trim() !== ''
        ? { type: 'resend', messageId, text }
        : undefined;
    }
    case 'copyCode':
    case 'insertCode':
    case 'applyCode': {
      const code = str(m['code'], MAX_CODE_CHARS);
      return code !== undefined ? { type: m['type'], code } : undefined;
    }
    case 'openLink': {
      const href = str(m['href'], MAX_URL_CHARS, false);
      return href !== undefined ? { type: 'openLink', href } : undefined;
    }
    case 'toggleContext': {
      const kind = oneOf(m['kind'], TOGGLE_KINDS);
      const isEnabled = bool(m['isEnabled']);
      return kind !== undefined && isEnabled !== undefined
        ? { type: 'toggleContext', kind, isEnabled }
        : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * The only links the chat opens: absolute http(s) URLs without credentials. `command:`,
 * `javascript:`, `file:`, `data:` and everything else are refused. Returns the normalised URL.
 */
export function safeExternalLink(href: string): string | undefined {
  if (href.length > MAX_URL_CHARS) return undefined;
  let url: URL;
  try {
    url = new URL(href.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username !== '' || url.password !== '' || url.hostname === '') return undefined;
  return url.href;
}
