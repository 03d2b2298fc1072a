/**
 * The chat view's message protocol, shared by the extension host and the webview page. No DOM, no
 * VS Code: both sides import it. Every message crossing the boundary is validated on receipt with
 * `parseWebviewMessage` / `parseHostMessage`; anything malformed or oversized is dropped.
 */

/** Longest prompt the page may send, in characters. */
export const MAX_PROMPT_CHARS = 200_000;
/** Longest code block the page may hand back (copy, insert, apply), in characters. */
export const MAX_CODE_CHARS = 1_000_000;
/** Longest link the page may ask to open, in characters. */
export const MAX_URL_CHARS = 2_048;
/** Longest message id. */
export const MAX_ID_CHARS = 64;
/** Longest message text the host sends (a whole answer, or a streamed fragment). */
export const MAX_TEXT_CHARS = 2_000_000;
/** Longest short label (notes, chip labels, wait reasons, model names). */
export const MAX_LABEL_CHARS = 1_000;
/** Most messages in one `state` message. */
export const MAX_MESSAGES = 2_000;

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

/** Kinds of context a user message can carry. */
export type ContextKind = 'selection' | 'file';

const CONTEXT_KINDS: readonly ContextKind[] = ['selection', 'file'];

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

/** A context chip above the composer: the current selection or file, with its token estimate. */
export interface ContextChip {
  readonly kind: ContextKind;
  readonly label: string;
  readonly tokens: number;
  readonly isEnabled: boolean;
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
  /** The fallback model the user may switch to, when one is configured and differs. */
  readonly fallbackModel?: string;
}

/** Messages from the extension host to the page. */
export type HostMessage =
  | { readonly type: 'state'; readonly messages: readonly ChatMessageView[]; readonly isBusy: boolean }
  | { readonly type: 'message'; readonly message: ChatMessageView; readonly isBusy: boolean }
  | { readonly type: 'delta'; readonly messageId: string; readonly text: string }
  | { readonly type: 'wait'; readonly banner: WaitBanner | null }
  | { readonly type: 'context'; readonly chips: readonly ContextChip[]; readonly budget: ComposerBudget }
  | { readonly type: 'notice'; readonly level: 'info' | 'error'; readonly text: string }
  | { readonly type: 'focus' };

/** Messages from the page to the extension host (untrusted). */
export type WebviewMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'send'; readonly text: string }
  | { readonly type: 'stop' }
  | { readonly type: 'retryNow' }
  | { readonly type: 'useFallback' }
  | { readonly type: 'newChat' }
  | { readonly type: 'resume'; readonly messageId: string }
  | { readonly type: 'copyCode'; readonly code: string }
  | { readonly type: 'insertCode'; readonly code: string }
  | { readonly type: 'applyCode'; readonly code: string }
  | { readonly type: 'openLink'; readonly href: string }
  | { readonly type: 'toggleContext'; readonly kind: ContextKind; readonly isEnabled: boolean };

type Fields = Readonly<Record<string, unknown>>;

/** The object's own enumerable fields, or undefined for anything that is not a plain record. */
function record(value: unknown): Fields | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(value)) {
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    // Accessors could run code or change between reads: only plain data fields count.
    if (descriptor && 'value' in descriptor) out[key] = descriptor.value;
  }
  return out;
}

function str(value: unknown, max: number, allowEmpty = true): string | undefined {
  if (typeof value !== 'string' || value.length > max) return undefined;
  return allowEmpty || value.length > 0 ? value : undefined;
}

function id(value: unknown): string | undefined {
  const s = str(value, MAX_ID_CHARS, false);
  return s !== undefined && /^[A-Za-z0-9_-]+$/.test(s) ? s : undefined;
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1e12
    ? value
    : undefined;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[]): T | undefined {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value)
    ? (value as T)
    : undefined;
}

function bool(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

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
      return { type: m['type'] };
    case 'send': {
      const text = str(m['text'], MAX_PROMPT_CHARS);
      return text !== undefined && text.trim() !== '' ? { type: 'send', text } : undefined;
    }
    case 'resume': {
      const messageId = id(m['messageId']);
      return messageId !== undefined ? { type: 'resume', messageId } : undefined;
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
      const kind = oneOf(m['kind'], CONTEXT_KINDS);
      const isEnabled = bool(m['isEnabled']);
      return kind !== undefined && isEnabled !== undefined
        ? { type: 'toggleContext', kind, isEnabled }
        : undefined;
    }
    default:
      return undefined;
  }
}

function contextLabel(value: unknown): ContextLabel | undefined {
  const m = record(value);
  if (!m) return undefined;
  const kind = oneOf(m['kind'], CONTEXT_KINDS);
  const label = str(m['label'], MAX_LABEL_CHARS);
  const tokens = count(m['tokens']);
  return kind !== undefined && label !== undefined && tokens !== undefined
    ? { kind, label, tokens }
    : undefined;
}

function listOf<T>(value: unknown, max: number, item: (v: unknown) => T | undefined): T[] | undefined {
  if (!Array.isArray(value) || value.length > max) return undefined;
  const out: T[] = [];
  for (const v of value as unknown[]) {
    const parsed = item(v);
    if (parsed === undefined) return undefined;
    out.push(parsed);
  }
  return out;
}

/** Validates one message view; undefined when malformed. */
export function parseMessageView(value: unknown): ChatMessageView | undefined {
  const m = record(value);
  if (!m) return undefined;
  const messageId = id(m['id']);
  const role = oneOf(m['role'], ['user', 'assistant'] as const);
  const text = str(m['text'], MAX_TEXT_CHARS);
  const status = oneOf(m['status'], CHAT_MESSAGE_STATUSES);
  if (messageId === undefined || role === undefined || text === undefined || status === undefined)
    return undefined;
  const context = m['context'] === undefined ? undefined : listOf(m['context'], 8, contextLabel);
  const note = m['note'] === undefined ? undefined : str(m['note'], MAX_LABEL_CHARS);
  const model = m['model'] === undefined ? undefined : str(m['model'], MAX_LABEL_CHARS);
  if ((m['context'] !== undefined && !context) || (m['note'] !== undefined && note === undefined))
    return undefined;
  if (m['model'] !== undefined && model === undefined) return undefined;
  return {
    id: messageId,
    role,
    text,
    status,
    ...(context ? { context } : {}),
    ...(note !== undefined ? { note } : {}),
    ...(model !== undefined ? { model } : {}),
  };
}

function banner(value: unknown): WaitBanner | null | undefined {
  if (value === null) return null;
  const m = record(value);
  if (!m) return undefined;
  const messageId = id(m['messageId']);
  const reason = str(m['reason'], MAX_LABEL_CHARS);
  const isLong = bool(m['isLong']);
  if (messageId === undefined || reason === undefined || isLong === undefined) return undefined;
  const remainingMs = m['remainingMs'] === undefined ? undefined : count(m['remainingMs']);
  const position = m['position'] === undefined ? undefined : count(m['position']);
  const fallbackModel =
    m['fallbackModel'] === undefined ? undefined : str(m['fallbackModel'], MAX_LABEL_CHARS, false);
  if (
    (m['remainingMs'] !== undefined && remainingMs === undefined) ||
    (m['position'] !== undefined && position === undefined) ||
    (m['fallbackModel'] !== undefined && fallbackModel === undefined)
  )
    return undefined;
  return {
    messageId,
    reason,
    isLong,
    ...(remainingMs !== undefined ? { remainingMs } : {}),
    ...(position !== undefined ? { position } : {}),
    ...(fallbackModel !== undefined ? { fallbackModel } : {}),
  };
}

function chip(value: unknown): ContextChip | undefined {
  const m = record(value);
  if (!m) return undefined;
  const label = contextLabel(m);
  const isEnabled = bool(m['isEnabled']);
  return label && isEnabled !== undefined ? { ...label, isEnabled } : undefined;
}

function budget(value: unknown): ComposerBudget | undefined {
  const m = record(value);
  if (!m) return undefined;
  const baseTokens = count(m['baseTokens']);
  const charsPerToken = count(m['charsPerToken']);
  const model = str(m['model'], MAX_LABEL_CHARS);
  const limitTokens = m['limitTokens'] === undefined ? undefined : count(m['limitTokens']);
  if (baseTokens === undefined || charsPerToken === undefined || charsPerToken <= 0 || model === undefined)
    return undefined;
  if (m['limitTokens'] !== undefined && limitTokens === undefined) return undefined;
  return { baseTokens, charsPerToken, model, ...(limitTokens !== undefined ? { limitTokens } : {}) };
}

/** Validates a message from the host; undefined when it is not exactly one of {@link HostMessage}. */
export function parseHostMessage(value: unknown): HostMessage | undefined {
  const m = record(value);
  if (!m) return undefined;
  switch (m['type']) {
    case 'state': {
      const messages = listOf(m['messages'], MAX_MESSAGES, parseMessageView);
      const isBusy = bool(m['isBusy']);
      return messages && isBusy !== undefined ? { type: 'state', messages, isBusy } : undefined;
    }
    case 'message': {
      const message = parseMessageView(m['message']);
      const isBusy = bool(m['isBusy']);
      return message && isBusy !== undefined ? { type: 'message', message, isBusy } : undefined;
    }
    case 'delta': {
      const messageId = id(m['messageId']);
      const text = str(m['text'], MAX_TEXT_CHARS);
      return messageId !== undefined && text !== undefined ? { type: 'delta', messageId, text } : undefined;
    }
    case 'wait': {
      const parsed = banner(m['banner']);
      return parsed !== undefined ? { type: 'wait', banner: parsed } : undefined;
    }
    case 'context': {
      const chips = listOf(m['chips'], 8, chip);
      const parsedBudget = budget(m['budget']);
      return chips && parsedBudget ? { type: 'context', chips, budget: parsedBudget } : undefined;
    }
    case 'notice': {
      const level = oneOf(m['level'], ['info', 'error'] as const);
      const text = str(m['text'], MAX_LABEL_CHARS);
      return level !== undefined && text !== undefined ? { type: 'notice', level, text } : undefined;
    }
    case 'focus':
      return { type: 'focus' };
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
