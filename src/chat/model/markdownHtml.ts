/**
 * The chat's Markdown to HTML, without a DOM: markdown-it with raw HTML off, images off, links only
 * to absolute http(s) URLs, fenced code highlighted (highlight.js). The page sanitises the HTML
 * (DOMPurify) before it reaches the DOM; the unit tests compare it as a string.
 */
import MarkdownIt from 'markdown-it';
import { highlightCode } from './codeHighlight';

/** A markdown-it instance. */
export type ChatMarkdown = InstanceType<typeof MarkdownIt>;

/** A markdown-it configured as the chat renders answers. */
export function createChatMarkdown(): ChatMarkdown {
  const md = new MarkdownIt({
    html: false,
    linkify: true,
    breaks: false,
    typographer: false,
    // markdown-it escapes the code itself when this returns '' (unknown language).
    highlight: (code, language) => highlightCode(code, language) ?? '',
  });
  // Images would load remote content (the CSP blocks them anyway): they stay as text.
  md.disable(['image']);
  // Only absolute http(s) links become links; command:, javascript:, file:, data: stay plain text.
  md.validateLink = (url: string): boolean => /^https?:\/\//i.test(url.trim());
  return md;
}
