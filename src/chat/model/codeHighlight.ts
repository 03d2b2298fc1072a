/**
 * Syntax highlighting of fenced code blocks in answers: highlight.js's core with the languages
 * answers use most, registered here so the chat page's bundle carries only those. Pure (no DOM),
 * so the page and the unit tests share it.
 */
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import csharp from 'highlight.js/lib/languages/csharp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import kotlin from 'highlight.js/lib/languages/kotlin';
import markdown from 'highlight.js/lib/languages/markdown';
import php from 'highlight.js/lib/languages/php';
import python from 'highlight.js/lib/languages/python';
import ruby from 'highlight.js/lib/languages/ruby';
import rust from 'highlight.js/lib/languages/rust';
import shell from 'highlight.js/lib/languages/shell';
import sql from 'highlight.js/lib/languages/sql';
import swift from 'highlight.js/lib/languages/swift';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';

const LANGUAGES = {
  bash,
  c,
  cpp,
  csharp,
  css,
  diff,
  go,
  java,
  javascript,
  json,
  kotlin,
  markdown,
  php,
  python,
  ruby,
  rust,
  shell,
  sql,
  swift,
  typescript,
  xml,
  yaml,
};
for (const [name, language] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, language);

/** The longest code block highlighted; longer ones stay plain (highlighting re-runs on every streamed render). */
export const MAX_HIGHLIGHTED_CHARS = 50_000;

/**
 * Highlighted HTML of `code` in `language` (an info-string word such as `ts`, `python`, `sh`):
 * the code HTML-escaped, with only `<span class="hljs-…">` added. Undefined for an unknown or
 * missing language (no guessing: it is slow and wrong on half-streamed code) and for huge blocks.
 */
export function highlightCode(code: string, language: string | undefined): string | undefined {
  if (!language || code.length > MAX_HIGHLIGHTED_CHARS || !hljs.getLanguage(language)) return undefined;
  return hljs.highlight(code, { language, ignoreIllegals: true }).value;
}

/** Whether a `class` attribute value holds only classes the page allows: a code block's language and the highlighter's token classes. */
export function isAllowedCodeClass(value: string): boolean {
  const tokens = value.trim().split(/\s+/);
  // highlight.js writes `hljs-<scope>` and, for sub-scopes, words ending in `_` (e.g. `hljs-title function_`).
  return tokens.every((token) => /^(?:language-[\w.+#-]+|hljs-[\w-]+|[a-z]+_{1,2})$/.test(token));
}
