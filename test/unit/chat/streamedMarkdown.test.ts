import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createChatMarkdown } from '../../../src/chat/model/markdownHtml';
import { StreamedMarkdown, type StreamedUpdate } from '../../../src/chat/model/streamedMarkdown';

const md = createChatMarkdown();

/** What the page shows after `update`: the finished HTML kept, the open HTML replaced. */
class PageModel {
  closed = '';
  open = '';
  rendersOfClosed = 0;

  apply(update: StreamedUpdate): void {
    if (update.isReset) this.closed = '';
    this.closed += update.closedHtml;
    if (update.closedHtml !== '') this.rendersOfClosed++;
    this.open = update.openHtml;
  }

  get html(): string {
    return this.closed + this.open;
  }
}

/** Streams `text` cut at `cuts` (offsets) and returns what the page shows at the end. */
function streamed(text: string, cuts: readonly number[]): { page: PageModel; updates: StreamedUpdate[] } {
  const renderer = new StreamedMarkdown(md);
  const page = new PageModel();
  const updates: StreamedUpdate[] = [];
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  for (const end of [...points, text.length]) {
    const update = renderer.update(text.slice(0, end));
    updates.push(update);
    page.apply(update);
    // After every chunk, the page equals the render of the text so far.
    assert.equal(page.html, md.render(text.slice(0, end)), `at ${end} of ${JSON.stringify(text)}`);
  }
  return { page, updates };
}

// Pieces answers are made of, so that random texts hit the block boundaries that matter.
const PIECES = [
  'a',
  'b c',
  'word',
  ' ',
  '  ',
  '    ',
  '\n',
  '\n',
  '\n\n',
  '\r\n',
  '\r',
  '# ',
  '## ',
  '=',
  '===',
  '-',
  '---',
  '***',
  '- ',
  '* ',
  '+ ',
  '1. ',
  '2) ',
  '> ',
  '```',
  '```ts\n',
  '~~~',
  '`',
  '*',
  '_',
  '**',
  '|',
  ' | ',
  '|---|---|',
  ':-:',
  '[a]',
  '[a]: https://x.test/a',
  '[b](https://y.test)',
  'https://z.test',
  '<b>',
  '&amp;',
  '\\',
  '\0',
  '\t',
  '2.',
  '  - ',
  '   ',
  '>',
  '[a]:',
  ' https://x.test/b',
  ' "t"',
];

const markdownText = fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((parts) => parts.join(''));

describe('streamed Markdown renders as the whole answer does', () => {
  it('for any answer made of Markdown pieces, cut anywhere', () => {
    fc.assert(
      fc.property(markdownText, fc.array(fc.nat(), { maxLength: 12 }), (text, cuts) => {
        streamed(text, cuts);
      }),
      { numRuns: 2_000 },
    );
  });

  it('for any string at all, cut anywhere', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), fc.array(fc.nat(), { maxLength: 8 }), (text, cuts) => {
        streamed(text, cuts);
      }),
      { numRuns: 1_000 },
    );
  });

  it('renders each finished block once: a long answer streamed in many chunks never re-renders its head', () => {
    const paragraphs = Array.from({ length: 30 }, (_, i) => `Paragraph ${i} with some words.`);
    const text = `${paragraphs.join('\n\n')}\n\n\`\`\`ts\nconst x = 1;\n\`\`\`\n`;
    const cuts = Array.from({ length: text.length / 7 }, (_, i) => i * 7);
    const { updates } = streamed(text, cuts);
    assert.equal(updates.filter((u) => u.isReset).length, 1, 'only the first update starts from scratch');
    const closedChars = updates.reduce((sum, u) => sum + u.closedHtml.length, 0);
    assert.ok(closedChars < md.render(text).length, 'finished HTML is produced once, not per chunk');
    const openChars = updates.map((u) => u.openHtml.length);
    assert.ok(
      Math.max(...openChars) < 400,
      `only the open block is re-rendered (${Math.max(...openChars)} chars)`,
    );
  });

  it('starts over when a later reference definition changes how an earlier block renders', () => {
    const text = 'See [a].\n\nMore.\n\n[a]: https://x.test/a\n';
    const { updates, page } = streamed(text, [9, 16, 20, 30]);
    assert.ok(
      updates.slice(1).some((u) => u.isReset),
      'a reset after the definition appeared',
    );
    assert.match(page.html, /<a href="https:\/\/x\.test\/a">a<\/a>/);
  });
});
