import type { CodeAction } from './markdown';
import type { PostToHost } from './waitBannerView';

/**
 * A click in the conversation: a link goes to the host (the webview never navigates), a code
 * block's button posts its code, a message's button goes to `onMessageAction`, Resume to the host.
 */
export function handleConversationClick(
  event: MouseEvent,
  post: PostToHost,
  onMessageAction: (action: string | undefined, messageId: string) => void,
): void {
  const target = event.target instanceof Element ? event.target : null;
  if (!target) return;
  const link = target.closest('a');
  if (link) {
    // Never let the webview navigate: the host checks the scheme and opens http(s) externally.
    event.preventDefault();
    const href = link.getAttribute('href');
    if (href) post({ type: 'openLink', href });
    return;
  }
  const action = target.closest<HTMLButtonElement>('button[data-action]');
  if (action) {
    // A fenced block's text ends with the newline before the closing fence; it is not part of the code.
    const code = (action.closest('.code-block')?.querySelector('pre code')?.textContent ?? '').replace(
      /\n$/,
      '',
    );
    post({ type: action.dataset['action'] as CodeAction, code });
    return;
  }
  const messageAction = target.closest<HTMLButtonElement>('button[data-message-action]');
  if (messageAction) {
    // One press, one request: the host refuses a second anyway, but says so as an error.
    if (messageAction.dataset['messageAction'] !== 'edit') messageAction.disabled = true;
    onMessageAction(messageAction.dataset['messageAction'], messageAction.dataset['messageId'] ?? '');
    return;
  }
  const resume = target.closest<HTMLButtonElement>('button[data-resume]');
  if (resume?.dataset['resume']) post({ type: 'resume', messageId: resume.dataset['resume'] });
}
