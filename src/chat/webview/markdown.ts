/**
 * Model output to DOM: markdown-it with raw HTML off and links limited to http(s) (markdownHtml.ts),
 * then DOMPurify with an allow-list of tags and attributes. Code blocks are highlighted
 * (highlight.js) and get Copy / Insert / Apply buttons.
 */
import DOMPurify from 'dompurify';
import { isAllowedCodeClass } from '../model/codeHighlight';
import { createChatMarkdown } from '../model/markdownHtml';
import { pageText, type PageStringKey, type PageStrings } from '../model/pageStrings';

/** The page's one markdown-it (its configuration: markdownHtml.ts). */
export const chatMarkdown = createChatMarkdown();

const ALLOWED_TAGS = [
  'a',
  'p',
  'br',
  'hr',
  'strong',
  'em',
  's',
  'del',
  'code',
  'pre',
  // Only the highlighter writes spans: raw HTML in model output is off, so `<span>` there stays text.
  'span',
  'blockquote',
  'ul',
  'ol',
  'li',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
];

const purifier = DOMPurify(window);
purifier.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') {
    node.setAttribute('rel', 'noopener noreferrer');
    if (node.hasAttribute('href')) node.setAttribute('title', node.getAttribute('href') ?? '');
  }
  if (node.hasAttribute('class') && !isAllowedCodeClass(node.getAttribute('class') ?? '')) {
    node.removeAttribute('class');
  }
});

/** Code-block actions the page offers; each posts the block's text to the host. */
export type CodeAction = 'copyCode' | 'insertCode' | 'applyCode';

const CODE_ACTIONS: readonly { action: CodeAction; label: PageStringKey; aria: PageStringKey }[] = [
  { action: 'copyCode', label: 'copyCode', aria: 'copyCodeAria' },
  { action: 'insertCode', label: 'insertCode', aria: 'insertCodeAria' },
  { action: 'applyCode', label: 'applyCode', aria: 'applyCodeAria' },
];

/** Renders Markdown to a sanitised fragment, with a toolbar on each code block. */
export function renderMarkdown(text: string, strings: PageStrings): DocumentFragment {
  return sanitizedFragment(chatMarkdown.render(text), strings);
}

/** markdown-it's HTML as a sanitised fragment, with a toolbar on each code block. */
export function sanitizedFragment(html: string, strings: PageStrings): DocumentFragment {
  const fragment = purifier.sanitize(html, {
    ALLOWED_TAGS,
    ALLOWED_ATTR: ['href', 'class', 'start', 'title'],
    ALLOWED_URI_REGEXP: /^https?:\/\//i,
    ALLOW_DATA_ATTR: false,
    RETURN_DOM_FRAGMENT: true,
  });
  for (const pre of Array.from(fragment.querySelectorAll('pre'))) {
    const wrapper = document.createElement('div');
    wrapper.className = 'code-block';
    const bar = document.createElement('div');
    bar.className = 'code-toolbar';
    bar.setAttribute('role', 'toolbar');
    const language = /language-([\w.+#-]+)/.exec(pre.querySelector('code')?.className ?? '')?.[1];
    bar.setAttribute(
      'aria-label',
      language ? pageText(strings, 'languageActionsAria', language) : strings.codeActionsAria,
    );
    if (language) {
      const tag = document.createElement('span');
      tag.className = 'code-language';
      tag.textContent = language;
      bar.append(tag);
    }
    for (const { action, label, aria } of CODE_ACTIONS) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'code-action';
      button.dataset['action'] = action;
      button.textContent = strings[label];
      button.setAttribute('aria-label', strings[aria]);
      bar.append(button);
    }
    pre.replaceWith(wrapper);
    wrapper.append(bar, pre);
  }
  return fragment;
}
