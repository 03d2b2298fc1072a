import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chatHtml } from '../../../src/chat/chatHtml';
import { MAX_PROMPT_CHARS } from '../../../src/chat/model/chatProtocol';
import { promptSizeProblem } from '../../../src/chat/model/chatPromptSize';
import { estimateDraft } from '../../../src/chat/model/draftEstimate';
import {
  ENGLISH_PAGE_STRINGS,
  MAX_PAGE_STRING_CHARS,
  PAGE_STRING_KEYS,
  type PageStrings,
  pageLocalize,
  parsePageStrings,
  pageStringsFromJson,
  pageText,
} from '../../../src/chat/model/pageStrings';

/** A "translation" that marks every text, so a test sees which ones went through the table. */
const MARKED: PageStrings = Object.fromEntries(
  PAGE_STRING_KEYS.map((key) => [key, `[de] ${ENGLISH_PAGE_STRINGS[key]}`]),
) as PageStrings;

describe('the chat page strings table', () => {
  it('has a non-empty English text for every key, no two keys with the same text', () => {
    assert.ok(PAGE_STRING_KEYS.length > 50, `only ${PAGE_STRING_KEYS.length} keys`);
    for (const key of PAGE_STRING_KEYS) assert.ok(ENGLISH_PAGE_STRINGS[key].trim() !== '', key);
    const texts = PAGE_STRING_KEYS.map((key) => ENGLISH_PAGE_STRINGS[key]);
    assert.equal(new Set(texts).size, texts.length);
  });

  it('takes every key of a valid table as sent', () => {
    assert.deepEqual(parsePageStrings(MARKED), MARKED);
    assert.deepEqual(pageStringsFromJson(JSON.stringify(MARKED)), MARKED);
  });

  it('falls back to English for a key that is missing, empty, not a string or too long', () => {
    const { newChat: _dropped, ...partial } = MARKED;
    const parsed = parsePageStrings({
      ...partial,
      send: '',
      stop: 42,
      cancelWait: 'x'.repeat(MAX_PAGE_STRING_CHARS + 1),
    });
    assert.equal(parsed?.newChat, 'New chat');
    assert.equal(parsed?.send, 'Send');
    assert.equal(parsed?.stop, 'Stop');
    assert.equal(parsed?.cancelWait, 'Cancel');
    assert.equal(parsed?.retryNow, '[de] Retry now');
  });

  it('rejects a payload that is not a plain record, and the page then shows English', () => {
    for (const hostile of [null, undefined, 'New chat', 42, ['New chat'], true])
      assert.equal(parsePageStrings(hostile), undefined, String(hostile));
    for (const json of [undefined, null, '', '{', 'null', '[1,2]', '"text"'])
      assert.deepEqual(pageStringsFromJson(json), ENGLISH_PAGE_STRINGS, String(json));
  });

  it('ignores unknown keys, __proto__ and accessors (an accessor never runs)', () => {
    let getterRan = false;
    const payload = JSON.parse(
      '{"__proto__": {"polluted": "yes"}, "extra": "x", "send": "Senden"}',
    ) as object;
    Object.defineProperty(payload, 'stop', {
      enumerable: true,
      get: () => {
        getterRan = true;
        return 'Anhalten';
      },
    });
    const parsed = parsePageStrings(payload);
    assert.equal(getterRan, false);
    assert.equal(parsed?.send, 'Senden');
    assert.equal(parsed?.stop, 'Stop');
    assert.deepEqual(Object.keys(parsed ?? {}).sort(), [...PAGE_STRING_KEYS].sort());
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  });

  it('fills placeholders in the translated text', () => {
    assert.equal(pageText(ENGLISH_PAGE_STRINGS, 'queuePosition', 2), '#2 in queue');
    assert.equal(
      pageText({ ...MARKED, useFallback: '{0} verwenden' }, 'useFallback', 'haiku'),
      'haiku verwenden',
    );
  });
});

describe('the pure models the page runs, with the table as their Localize', () => {
  const t = pageLocalize(MARKED);
  const budget = { baseTokens: 1_000, charsPerToken: 4, limitTokens: 2_000, model: 'claude-sonnet-4-6' };

  it('translate the draft estimate, its warnings and the prompt-size problem', () => {
    assert.equal(
      estimateDraft(budget, 'x'.repeat(8), t).estimate,
      '[de] ≈ 1,002 input tokens of 2,000/min · claude-sonnet-4-6',
    );
    assert.equal(
      estimateDraft({ ...budget, limitTokens: undefined }, '', t).estimate,
      '[de] ≈ 1,000 input tokens · claude-sonnet-4-6',
    );
    assert.match(
      estimateDraft(budget, 'x'.repeat(8_000), t).warning,
      /^\[de\] This message needs about 3,000 input tokens/,
    );
    assert.match(
      promptSizeProblem('x'.repeat(MAX_PROMPT_CHARS + 1), t) ?? '',
      /^\[de\] This message has 200,001 characters/,
    );
  });

  it('leave a message that is not a page string in English', () => {
    assert.equal(t('Not a page string {0}', 1), 'Not a page string 1');
  });
});

describe('the chat page HTML in the editor language', () => {
  const html = chatHtml({
    cspSource: 'https://x.vscode-cdn.net',
    nonce: 'abc',
    scriptUri: 'https://x.vscode-cdn.net/chat.js',
    styleUri: 'https://x.vscode-cdn.net/chat.css',
    strings: { ...MARKED, send: 'Senden', sendAria: 'Nachricht "senden" <jetzt>' },
    language: 'de',
  });

  it('labels the composer from the table, escaped, with the page language', () => {
    assert.match(html, /<html lang="de">/);
    assert.match(html, />Senden<\/button>/);
    assert.match(html, /aria-label="Nachricht &quot;senden&quot; &lt;jetzt&gt;"/);
    assert.match(html, /placeholder="\[de\] Ask Claude…/);
    assert.doesNotMatch(html, /<jetzt>/);
  });

  it('hands the page the whole table, which the page reads back unchanged', () => {
    const attribute = /data-page-strings="([^"]*)"/.exec(html)?.[1] ?? '';
    const json = attribute
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
    assert.deepEqual(pageStringsFromJson(json), {
      ...MARKED,
      send: 'Senden',
      sendAria: 'Nachricht "senden" <jetzt>',
    });
  });
});
