import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseHostMessage } from '../../../src/chat/model/parseHostMessage';
import { bannerChanged, waitBannerFrom } from '../../../src/chat/model/chatWait';
import { describeWait } from '../../../src/status/model/waitDescription';
import { chatHtml } from '../../../src/chat/chatHtml';
import { ENGLISH_PAGE_STRINGS } from '../../../src/chat/model/pageStrings';

const NOW = 1_000_000;
const base = { messageId: 'm1', nowMs: NOW, fallbackModel: '', isLong: false };

describe('chat wait banner', () => {
  it('shows the limit, the countdown and the queue position of a queued answer', () => {
    const banner = waitBannerFrom(
      {
        state: 'queued',
        position: 1,
        estimatedStartMs: NOW + 12_000,
        waitingFor: { kind: 'limit', dimension: 'inputTokens' },
        attempts: 0,
        model: 'claude-sonnet-4-6',
      },
      { ...base, fallbackModel: 'claude-haiku-4-5' },
    );
    assert.deepEqual(banner, {
      messageId: 'm1',
      reason: 'input tokens per minute',
      isLong: false,
      remainingMs: 12_000,
      position: 2,
      fallbackModel: 'claude-haiku-4-5',
      retryBlockedBy: 'pacing',
    });
    assert.equal(
      describeWait(banner, NOW),
      'Waiting for input tokens per minute · starts in 0:12 · #2 in queue',
    );
    assert.ok(parseHostMessage({ type: 'wait', banner }), 'the banner passes the page validator');
  });

  it('a retry countdown after a failed attempt wins over a shorter estimate', () => {
    const banner = waitBannerFrom(
      { state: 'queued', retryAtMs: NOW + 5_000, estimatedStartMs: NOW, attempts: 1, model: 'm' },
      base,
    );
    assert.equal(banner?.reason, 'retry after a failed attempt');
    assert.equal(banner?.remainingMs, 5_000);
  });

  it('no banner when in flight, done or about to start; the fallback is offered only when it differs', () => {
    assert.equal(waitBannerFrom({ state: 'in_flight', attempts: 1, model: 'm' }, base), undefined);
    assert.equal(
      waitBannerFrom({ state: 'queued', estimatedStartMs: NOW + 200, attempts: 0, model: 'm' }, base),
      undefined,
    );
    const same = waitBannerFrom(
      { state: 'queued', estimatedStartMs: NOW + 9_000, attempts: 0, model: 'haiku' },
      { ...base, fallbackModel: 'haiku' },
    );
    assert.equal(same?.fallbackModel, undefined);
  });

  it('is re-sent only when something the user sees changes', () => {
    const banner = { messageId: 'm1', reason: 'requests per minute', isLong: false, remainingMs: 10_000 };
    const previous = { banner, targetMs: NOW + 10_000 };
    assert.equal(bannerChanged(previous, { ...banner, remainingMs: 9_500 }, NOW + 500), false);
    assert.equal(bannerChanged(previous, { ...banner, remainingMs: 20_000 }, NOW + 500), true);
    assert.equal(bannerChanged(previous, { ...banner, position: 3 }, NOW), true);
    assert.equal(bannerChanged(previous, undefined, NOW), true);
    assert.equal(bannerChanged(undefined, undefined, NOW), false);
  });
});

describe('chat page HTML', () => {
  it('has a strict CSP with the nonce, no remote sources, and escapes what it interpolates', () => {
    const html = chatHtml({
      cspSource: 'https://x.vscode-cdn.net',
      nonce: 'abc+/=',
      scriptUri: 'https://x.vscode-cdn.net/chat.js?a="b"',
      styleUri: 'https://x.vscode-cdn.net/chat.css',
      strings: ENGLISH_PAGE_STRINGS,
      language: 'en',
    });
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    assert.match(csp, /^default-src 'none'/);
    assert.match(csp, /script-src 'nonce-abc\+\/='/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
    assert.match(
      html,
      /<script nonce="abc\+\/=" src="https:\/\/x\.vscode-cdn\.net\/chat\.js\?a=&quot;b&quot;">/,
    );
    assert.equal((html.match(/<script/g) ?? []).length, 1, 'one script, the bundle');
    assert.match(html, /aria-label="Message Claude"/);
  });
});
