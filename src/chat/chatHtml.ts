/** What the chat page's HTML needs from the host; no VS Code types so it can be unit-tested. */
export interface ChatHtmlOptions {
  /** `webview.cspSource`. */
  readonly cspSource: string;
  /** A fresh nonce (base64 from crypto.randomBytes) for the one script tag. */
  readonly nonce: string;
  /** `asWebviewUri` of media/chat/dist/chat.js and chat.css. */
  readonly scriptUri: string;
  readonly styleUri: string;
}

function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The chat page. CSP: nothing by default; styles only from the extension's media, the one script
 * only by nonce; no remote images, fonts, frames or connections.
 */
export function chatHtml(options: ChatHtmlOptions): string {
  const csp = [
    "default-src 'none'",
    `style-src ${options.cspSource}`,
    `script-src 'nonce-${options.nonce}'`,
    `font-src ${options.cspSource}`,
    `img-src ${options.cspSource} data:`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(options.styleUri)}">
<title>Claude Chat</title>
</head>
<body>
<div id="app" class="app">
  <main id="conversation" class="conversation" role="log" aria-label="Conversation with Claude" aria-live="polite"></main>
  <div id="notice" class="notice" role="status" aria-live="polite"></div>
  <section class="composer" aria-label="Message composer">
    <div id="chips" class="chips" role="group" aria-label="Context to include"></div>
    <textarea id="prompt" rows="3" aria-label="Message Claude" placeholder="Ask Claude… (Enter to send, Shift+Enter for a new line)"></textarea>
    <div class="composer-footer">
      <span id="estimate" class="estimate" aria-live="polite"></span>
      <span class="composer-buttons">
        <button id="new-chat" type="button" class="secondary" aria-label="Start a new chat">New chat</button>
        <button id="stop" type="button" class="secondary" aria-label="Stop the answer" hidden>Stop</button>
        <button id="send" type="button" aria-label="Send message">Send</button>
      </span>
    </div>
    <div id="warning" class="warning" role="alert" hidden></div>
  </section>
</div>
<script nonce="${attr(options.nonce)}" src="${attr(options.scriptUri)}"></script>
</body>
</html>`;
}
