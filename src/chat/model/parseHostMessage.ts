/**
 * Validation of what the host sends the chat page: the page accepts a message only when it is exactly
 * one of {@link HostMessage}, within the size limits below.
 */
import {
  CHAT_MESSAGE_STATUSES,
  CONTEXT_KINDS,
  MAX_CHIP_KEY_CHARS,
  MAX_CONTEXT_PER_MESSAGE,
  MAX_PROMPT_CHARS,
  RETRY_BLOCKS,
  type ChatMessageView,
  type ComposerBudget,
  type ContextChip,
  type ContextLabel,
  type HostMessage,
  type ModelChoice,
  type WaitBanner,
} from './chatProtocol';
import { parseAgentRunView } from './agentRunView';
import { MAX_QUEUED_MESSAGES, type QueuedMessage } from './followUpQueue';
import { bool, count, id, listOf, oneOf, record, str } from './protocolFields';

/** Longest message text the host sends (a whole answer, or a streamed fragment). */
export const MAX_TEXT_CHARS = 2_000_000;
/** Longest short label (notes, chip labels, wait reasons, model names). */
export const MAX_LABEL_CHARS = 1_000;
/** Most messages in one `state` message. */
export const MAX_MESSAGES = 2_000;
/** Most agent runs in one `agentRuns` message. */
export const MAX_AGENT_RUNS = 100;
/** Most chips above the composer (the selection, the file, and what was attached by picker). */
export const MAX_CHIPS = 24;

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
  const context =
    m['context'] === undefined ? undefined : listOf(m['context'], MAX_CONTEXT_PER_MESSAGE, contextLabel);
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
  const retryBlockedBy =
    m['retryBlockedBy'] === undefined ? undefined : oneOf(m['retryBlockedBy'], RETRY_BLOCKS);
  if (
    (m['remainingMs'] !== undefined && remainingMs === undefined) ||
    (m['position'] !== undefined && position === undefined) ||
    (m['fallbackModel'] !== undefined && fallbackModel === undefined) ||
    (m['retryBlockedBy'] !== undefined && retryBlockedBy === undefined)
  )
    return undefined;
  return {
    messageId,
    reason,
    isLong,
    ...(remainingMs !== undefined ? { remainingMs } : {}),
    ...(position !== undefined ? { position } : {}),
    ...(fallbackModel !== undefined ? { fallbackModel } : {}),
    ...(retryBlockedBy !== undefined ? { retryBlockedBy } : {}),
  };
}

function queued(value: unknown): QueuedMessage | undefined {
  const m = record(value);
  if (!m) return undefined;
  const messageId = id(m['id']);
  const text = str(m['text'], MAX_PROMPT_CHARS, false);
  return messageId !== undefined && text !== undefined ? { id: messageId, text } : undefined;
}

function chip(value: unknown): ContextChip | undefined {
  const m = record(value);
  if (!m) return undefined;
  const label = contextLabel(m);
  const isEnabled = bool(m['isEnabled']);
  const key = m['key'] === undefined ? undefined : str(m['key'], MAX_CHIP_KEY_CHARS, false);
  const note = m['note'] === undefined ? undefined : str(m['note'], MAX_LABEL_CHARS, false);
  if (!label || isEnabled === undefined) return undefined;
  if ((m['key'] !== undefined && key === undefined) || (m['note'] !== undefined && note === undefined))
    return undefined;
  return {
    ...label,
    isEnabled,
    ...(key !== undefined ? { key } : {}),
    ...(note !== undefined ? { note } : {}),
  };
}

function modelChoice(value: unknown): ModelChoice | undefined {
  const m = record(value);
  if (!m) return undefined;
  const model = str(m['model'], MAX_LABEL_CHARS, false);
  const isChosen = bool(m['isChosen']);
  const fallbackModel =
    m['fallbackModel'] === undefined ? undefined : str(m['fallbackModel'], MAX_LABEL_CHARS, false);
  if (model === undefined || isChosen === undefined) return undefined;
  if (m['fallbackModel'] !== undefined && fallbackModel === undefined) return undefined;
  return { model, isChosen, ...(fallbackModel !== undefined ? { fallbackModel } : {}) };
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
      const chips = listOf(m['chips'], MAX_CHIPS, chip);
      const parsedBudget = budget(m['budget']);
      return chips && parsedBudget ? { type: 'context', chips, budget: parsedBudget } : undefined;
    }
    case 'notice': {
      const level = oneOf(m['level'], ['info', 'error'] as const);
      const text = str(m['text'], MAX_LABEL_CHARS);
      return level !== undefined && text !== undefined ? { type: 'notice', level, text } : undefined;
    }
    case 'queue': {
      const messages = listOf(m['messages'], MAX_QUEUED_MESSAGES, queued);
      const isPaused = bool(m['isPaused']);
      return messages && isPaused !== undefined ? { type: 'queue', messages, isPaused } : undefined;
    }
    case 'model': {
      const choice = modelChoice(m['choice']);
      return choice ? { type: 'model', choice } : undefined;
    }
    case 'focus':
      return { type: 'focus' };
    case 'agentRun': {
      const run = parseAgentRunView(m['run']);
      return run ? { type: 'agentRun', run } : undefined;
    }
    case 'agentRuns': {
      const runs = listOf(m['runs'], MAX_AGENT_RUNS, parseAgentRunView);
      return runs ? { type: 'agentRuns', runs } : undefined;
    }
    default:
      return undefined;
  }
}
