import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  highlightCode,
  isAllowedCodeClass,
  MAX_HIGHLIGHTED_CHARS,
} from '../../../src/chat/model/codeHighlight';

/** The text of highlighted HTML: tags removed, the five escapes undone. */
function textOf(html: string): string {
  return html
    .replace(/<\/?span[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, '&');
}

describe('highlightCode', () => {
  it('marks keywords, strings and comments of a TypeScript block, by its short name too', () => {
    const code =
      "// total\nexport function sum(xs: number[]): number {\n  return xs.reduce((a, b) => a + b, 0); // 'ok'\n}";
    for (const language of ['typescript', 'ts']) {
      const html = highlightCode(code, language);
      assert.ok(html, language);
      assert.match(html, /<span class="hljs-keyword">export<\/span>/);
      assert.match(html, /<span class="hljs-comment">\/\/ total<\/span>/);
      assert.equal(textOf(html), code);
    }
  });

  it('knows the languages answers use most, by their usual fence names', () => {
    for (const language of [
      'js',
      'py',
      'python',
      'sh',
      'bash',
      'json',
      'html',
      'css',
      'go',
      'rust',
      'java',
      'sql',
      'yaml',
      'diff',
      'cpp',
      'csharp',
    ])
      assert.ok(highlightCode('x = 1', language) !== undefined, language);
  });

  it('leaves unknown, missing and huge blocks plain (undefined), without guessing', () => {
    assert.equal(highlightCode('x = 1', 'klingon'), undefined);
    assert.equal(highlightCode('x = 1', undefined), undefined);
    assert.equal(highlightCode('x = 1', ''), undefined);
    assert.equal(highlightCode('a'.repeat(MAX_HIGHLIGHTED_CHARS + 1), 'ts'), undefined);
  });

  it('escapes whatever the code holds: only highlighter spans are markup, the text is the code', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 200 }),
        fc.constantFrom('ts', 'html', 'python', 'markdown', 'bash'),
        (code, language) => {
          const html = highlightCode(code, language)!;
          const tags = html.match(/<[^>]*>/g) ?? [];
          for (const tag of tags) assert.match(tag, /^(?:<span class="[\w\s-]+">|<\/span>)$/, tag);
          for (const tag of tags.filter((t) => t.startsWith('<span')))
            assert.ok(isAllowedCodeClass(/class="([^"]*)"/.exec(tag)![1]!), tag);
          assert.equal(textOf(html), code);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('isAllowedCodeClass', () => {
  it('allows a language and highlighter classes, nothing else', () => {
    assert.ok(isAllowedCodeClass('language-ts'));
    assert.ok(isAllowedCodeClass('hljs-title function_'));
    assert.ok(isAllowedCodeClass('hljs-title class_ inherited__'));
    assert.ok(!isAllowedCodeClass('codicon codicon-terminal'));
    assert.ok(!isAllowedCodeClass('hljs-keyword monaco-button'));
    assert.ok(!isAllowedCodeClass('language-ts" onclick="x'));
  });
});
