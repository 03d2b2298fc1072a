import * as vscode from 'vscode';
import type { PageStrings } from './model/pageStrings';

/**
 * The chat page's strings in the editor's language. Each message is a literal so
 * `npm run l10n` (@vscode/l10n-dev) puts it in l10n/bundle.l10n.json; it must equal its English
 * text in ENGLISH_PAGE_STRINGS (test/unit/packaging/l10nBundle.test.ts checks both).
 */
export function localizedPageStrings(): PageStrings {
  return {
    pageTitle: vscode.l10n.t('Claude Chat'),
    conversationAria: vscode.l10n.t('Conversation with Claude'),
    composerAria: vscode.l10n.t('Message composer'),
    chipsAria: vscode.l10n.t('Context to include'),
    promptAria: vscode.l10n.t('Message Claude'),
    promptPlaceholder: vscode.l10n.t('Ask Claude… (Enter to send, Shift+Enter for a new line)'),
    newChat: vscode.l10n.t('New chat'),
    newChatAria: vscode.l10n.t('Start a new chat'),
    stop: vscode.l10n.t('Stop'),
    stopAria: vscode.l10n.t('Stop the answer'),
    send: vscode.l10n.t('Send'),
    sendAria: vscode.l10n.t('Send message'),
    emptyTitle: vscode.l10n.t('Ask Claude about your code.'),
    emptyHint: vscode.l10n.t(
      'The current selection is attached when its chip is on. When a rate limit is reached, your message waits here and is sent as soon as the limit allows.',
    ),
    youSaid: vscode.l10n.t('You said'),
    claudeSaid: vscode.l10n.t('Claude said'),
    you: vscode.l10n.t('You'),
    claude: vscode.l10n.t('Claude'),
    waitingForClaude: vscode.l10n.t('Waiting for Claude…'),
    statusPending: vscode.l10n.t('Waiting…'),
    statusInterrupted: vscode.l10n.t('Interrupted'),
    statusStopped: vscode.l10n.t('Stopped'),
    statusFailed: vscode.l10n.t('Failed'),
    continueAnswer: vscode.l10n.t('Continue'),
    continueAnswerAria: vscode.l10n.t('Continue the answer from where it stopped'),
    retryMessage: vscode.l10n.t('Retry'),
    resumeMessage: vscode.l10n.t('Resume'),
    sendAgainAria: vscode.l10n.t('Send this message again'),
    sentSelection: vscode.l10n.t('Selection {0} · ~{1} tokens'),
    sentFile: vscode.l10n.t('File {0} · ~{1} tokens'),
    chipSelection: vscode.l10n.t('Selection: {0} · ~{1} tokens'),
    chipFile: vscode.l10n.t('File: {0} · ~{1} tokens'),
    chipSelectionOnAria: vscode.l10n.t('Included: selection {0}, about {1} tokens. Press to leave it out.'),
    chipSelectionOffAria: vscode.l10n.t(
      'Not included: selection {0}, about {1} tokens. Press to include it.',
    ),
    chipFileOnAria: vscode.l10n.t('Included: file {0}, about {1} tokens. Press to leave it out.'),
    chipFileOffAria: vscode.l10n.t('Not included: file {0}, about {1} tokens. Press to include it.'),
    waitAria: vscode.l10n.t('Waiting for the rate limit'),
    waitTitle: vscode.l10n.t('Waiting for {0}'),
    queuePosition: vscode.l10n.t('#{0} in queue'),
    longWait: vscode.l10n.t('This is a long wait. You can keep waiting, switch models, or cancel.'),
    retryNow: vscode.l10n.t('Retry now'),
    retryNowAria: vscode.l10n.t('Retry now, ending the cool-down'),
    useFallback: vscode.l10n.t('Use {0}'),
    useFallbackAria: vscode.l10n.t('Switch to the fallback model {0}'),
    cancelWait: vscode.l10n.t('Cancel'),
    cancelWaitAria: vscode.l10n.t('Cancel this message'),
    startsWhenAllowed: vscode.l10n.t('Starts when the limit allows'),
    resumesIn: vscode.l10n.t('Resumes in {0}'),
    resuming: vscode.l10n.t('Resuming…'),
    codeActionsAria: vscode.l10n.t('Code block actions'),
    languageActionsAria: vscode.l10n.t('{0} block actions'),
    copyCode: vscode.l10n.t('Copy'),
    copyCodeAria: vscode.l10n.t('Copy code'),
    insertCode: vscode.l10n.t('Insert'),
    insertCodeAria: vscode.l10n.t('Insert code at the cursor'),
    applyCode: vscode.l10n.t('Apply as diff'),
    applyCodeAria: vscode.l10n.t('Apply code as a diff to the selection or file'),
    draftEstimate: vscode.l10n.t('≈ {0} input tokens · {1}'),
    draftEstimateOfLimit: vscode.l10n.t('≈ {0} input tokens of {1}/min · {2}'),
    draftTooBig: vscode.l10n.t(
      'This message needs about {0} input tokens, more than your limit of {1} per minute, so it can never be sent. Shorten it or turn off some context.',
    ),
    queueMessage: vscode.l10n.t('Queue'),
    queueMessageAria: vscode.l10n.t('Queue this message: it is sent when the answer in progress ends'),
    queuedAria: vscode.l10n.t('Messages waiting to be sent'),
    queuedTitle: vscode.l10n.t('Queued: sent in order, each after the answer before it'),
    queuedPausedTitle: vscode.l10n.t(
      'Queued, paused: the last answer did not finish. Continue or retry it, or send another message, to go on.',
    ),
    cancelQueuedAria: vscode.l10n.t('Cancel the queued message: {0}'),
    promptTooLong: vscode.l10n.t(
      'This message has {0} characters; the chat takes at most {1}. Shorten it, or select the code and use a command on the selection instead.',
    ),
  };
}
