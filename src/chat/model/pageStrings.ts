/**
 * Every user-visible string of the chat page, by key. The host translates each with
 * `vscode.l10n.t` (src/chat/chatPageStrings.ts, typed by {@link PageStrings} so no key is missed)
 * and hands the table to the page in its HTML; the page validates it with
 * {@link parsePageStrings} and shows the English text below for any key it lacks.
 * `{0}`, `{1}`, … are placeholders, filled by {@link pageText}.
 */
import { record, str } from './protocolFields';
import { fillPlaceholders, type Localize } from '../../status/model/localize';

/** The English text of every page string; the fallback, and the messages the host translates. */
export const ENGLISH_PAGE_STRINGS = {
  pageTitle: 'Claude Chat',
  conversationAria: 'Conversation with Claude',
  composerAria: 'Message composer',
  chipsAria: 'Context to include',
  promptAria: 'Message Claude',
  promptPlaceholder: 'Ask Claude… (Enter to send, Shift+Enter for a new line)',
  newChat: 'New chat',
  newChatAria: 'Start a new chat',
  stop: 'Stop',
  stopAria: 'Stop the answer',
  send: 'Send',
  sendAria: 'Send message',
  emptyTitle: 'Ask Claude about your code.',
  emptyHint:
    'The current selection is attached when its chip is on. When a rate limit is reached, your message waits here and is sent as soon as the limit allows.',
  youSaid: 'You said',
  claudeSaid: 'Claude said',
  you: 'You',
  claude: 'Claude',
  waitingForClaude: 'Waiting for Claude…',
  statusPending: 'Waiting…',
  statusInterrupted: 'Interrupted',
  statusStopped: 'Stopped',
  statusFailed: 'Failed',
  continueAnswer: 'Continue',
  continueAnswerAria: 'Continue the answer from where it stopped',
  retryMessage: 'Retry',
  resumeMessage: 'Resume',
  sendAgainAria: 'Send this message again',
  sentSelection: 'Selection {0} · ~{1} tokens',
  sentFile: 'File {0} · ~{1} tokens',
  chipSelection: 'Selection: {0} · ~{1} tokens',
  chipFile: 'File: {0} · ~{1} tokens',
  chipSelectionOnAria: 'Included: selection {0}, about {1} tokens. Press to leave it out.',
  chipSelectionOffAria: 'Not included: selection {0}, about {1} tokens. Press to include it.',
  chipFileOnAria: 'Included: file {0}, about {1} tokens. Press to leave it out.',
  chipFileOffAria: 'Not included: file {0}, about {1} tokens. Press to include it.',
  waitAria: 'Waiting for the rate limit',
  waitTitle: 'Waiting for {0}',
  queuePosition: '#{0} in queue',
  longWait: 'This is a long wait. You can keep waiting, switch models, or cancel.',
  retryNow: 'Retry now',
  retryNowAria: 'Retry now, ending the cool-down',
  useFallback: 'Use {0}',
  useFallbackAria: 'Send this message with {0} instead',
  cancelWait: 'Cancel',
  cancelWaitAria: 'Cancel this message',
  startsWhenAllowed: 'Starts when the limit allows',
  resumesIn: 'Resumes in {0}',
  resuming: 'Resuming…',
  codeActionsAria: 'Code block actions',
  languageActionsAria: '{0} block actions',
  copyCode: 'Copy',
  copyCodeAria: 'Copy code',
  insertCode: 'Insert',
  insertCodeAria: 'Insert code at the cursor',
  applyCode: 'Apply as diff',
  applyCodeAria: 'Apply code as a diff to the selection or file',
  draftEstimate: '≈ {0} input tokens · {1}',
  draftEstimateOfLimit: '≈ {0} input tokens of {1}/min · {2}',
  draftTooBig:
    'This message needs about {0} input tokens, more than your limit of {1} per minute, so it can never be sent. Shorten it or turn off some context.',
  queueMessage: 'Queue',
  queueMessageAria: 'Queue this message: it is sent when the answer in progress ends',
  queuedAria: 'Messages waiting to be sent',
  queuedTitle: 'Queued: sent in order, each after the answer before it',
  queuedPausedTitle:
    'Queued, paused: the last answer did not finish. Continue or retry it, or send another message, to go on.',
  cancelQueuedAria: 'Cancel the queued message: {0}',
  promptTooLong:
    'This message has {0} characters; the chat takes at most {1}. Shorten it, or select the code and use a command on the selection instead.',
  agentMode: 'Agent',
  agentModeAria:
    "Agent mode: Claude works on a task with the workspace's files and tools; edits wait for your review",
  agentPlaceholder: 'Give Claude a task in this workspace… (edits are proposed for your review)',
  agentRunAria: 'Agent run',
  agentTask: 'Agent task',
  agentStepWaits: 'Step {0} waits {1} for {2}',
  agentStepWaitsUnknown: 'Step {0} waits for {1}',
  agentStepResuming: 'Step {0} is about to be sent',
  agentRetryNowAria: 'Retry the waiting step now',
  agentCancelAria: 'Cancel the agent run',
  agentRunning: 'Working…',
  agentReviewing: 'Waiting for your review',
  agentAnswered: 'Done',
  agentCancelled: 'Cancelled',
  agentBusy: 'An agent run is in progress: cancel it or finish its review first.',
  agentShowDiffs: 'Show diffs',
  agentShowDiffsAria: 'Open the diffs of the files not decided yet',
  agentAcceptAll: 'Accept all',
  agentAcceptAllAria: 'Write every file not decided yet, unless it changed since Claude read it',
  agentRejectAll: 'Reject all',
  agentRejectAllAria: 'Reject every file not decided yet',
  retrying: 'Retrying…',
  retryBlockedPacing: 'Pacing: the server would refuse it until {0}',
  retryBlockedPacingSoon: 'Pacing: it goes as soon as the limit allows',
  retryBlockedQueue: 'Requests queued ahead of it go first',
  retryBlockedFirstResponse: 'The first response, which tells the limits, comes first',
  retryBlockedRamp: 'Pacing: fewer requests at once after an acceleration limit',
  retryBlockedSharedBudget: 'The budget shared with other windows decides when it goes',
  retryBlockedFreeSlot: 'Nothing to retry: it goes at the next free slot',
  retryNowBlockedAria: 'Retry now is not available. {0}',
  longWaitNoSwitch: 'This is a long wait. You can keep waiting or cancel.',
  copyAnswerAria: 'Copy the answer as Markdown',
  regenerate: 'Regenerate',
  regenerateAria: 'Ask the last question again, replacing this answer',
  editMessage: 'Edit',
  editMessageAria: 'Edit this message and send it again; the messages after it are removed',
  editingTitle: 'Editing a sent message: sending it removes the messages after it.',
  cancelEditAria: 'Stop editing; the conversation stays as it is',
  answerActionsAria: 'Answer actions',
  announceAnswered: 'Claude answered: {0}',
  announceEndedEarly: 'Answer stopped: {0}',
  editWhileBusy:
    'An answer is in progress: stop it, or wait for it to end, before sending the edited message.',
  attach: '+ Attach',
  attachAria: 'Attach files, open editors or a file’s Problems to the next message',
  modelButton: 'Model: {0}',
  modelButtonAria: 'Model of this conversation: {0}. Press to choose another.',
  historyButton: 'History',
  historyButtonAria: 'Show this workspace’s conversations',
  chipAttached: '{0} · ~{1} tokens ✕',
  chipProblems: 'Problems: {0} · ~{1} tokens ✕',
  chipAttachedAria: 'Attached: {0}, about {1} tokens. Press to remove it.',
  sentProblems: 'Problems of {0} · ~{1} tokens',
} as const;

/** The name of one page string. */
export type PageStringKey = keyof typeof ENGLISH_PAGE_STRINGS;

/** The page's strings, one (translated) text per key. */
export type PageStrings = Readonly<Record<PageStringKey, string>>;

/** Every key, in the table's order. */
export const PAGE_STRING_KEYS = Object.keys(ENGLISH_PAGE_STRINGS) as PageStringKey[];

/** Longest text one key may carry; a longer one is refused (English is shown). */
export const MAX_PAGE_STRING_CHARS = 2_000;

/**
 * Validates the table the host sent; undefined when it is not a plain record (the page then
 * shows English). A key that is missing, empty, not a string or too long falls back to English;
 * unknown keys are ignored.
 */
export function parsePageStrings(value: unknown): PageStrings | undefined {
  const fields = record(value);
  if (!fields) return undefined;
  const table = {} as Record<PageStringKey, string>;
  for (const key of PAGE_STRING_KEYS)
    table[key] = str(fields[key], MAX_PAGE_STRING_CHARS, false) ?? ENGLISH_PAGE_STRINGS[key];
  return table;
}

/** The table from the JSON the host put in the page, or English when it is absent or invalid. */
export function pageStringsFromJson(json: string | null | undefined): PageStrings {
  if (!json) return ENGLISH_PAGE_STRINGS;
  try {
    return parsePageStrings(JSON.parse(json)) ?? ENGLISH_PAGE_STRINGS;
  } catch {
    return ENGLISH_PAGE_STRINGS;
  }
}

/** The text of `key`, its `{n}` placeholders filled with `args`. */
export function pageText(strings: PageStrings, key: PageStringKey, ...args: Array<string | number>): string {
  return fillPlaceholders(strings[key], ...args);
}

const KEY_BY_ENGLISH = new Map<string, PageStringKey>(
  PAGE_STRING_KEYS.map((key) => [ENGLISH_PAGE_STRINGS[key], key]),
);

/**
 * A `Localize` for the pure models the page runs (draft estimate, prompt size): their English
 * message is looked up in the table; a message that is not a page string stays English.
 */
export function pageLocalize(strings: PageStrings): Localize {
  return (message, ...args) => {
    const key = KEY_BY_ENGLISH.get(message);
    return fillPlaceholders(key === undefined ? message : strings[key], ...args);
  };
}
