import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { boundedContext, buildFimRequest, CURSOR_MARK } from '../../../src/completions/model/fimPrompt';
import { CompletionCache } from '../../../src/completions/model/completionCache';
import { CompletionPause, shedUntilMs } from '../../../src/completions/model/completionShedding';
import { isCompletionEnabledFor } from '../../../src/completions/model/completionSwitch';
import { normalizeSettings } from '../../../src/settings/model/settings';

describe('fill-in-the-middle prompt', () => {
  it('bounds prefix and suffix, cutting at line boundaries', () => {
    const text = 'line1\nline2\nline3|rest3\nline4\nline5';
    const cursor = text.indexOf('|');
    const plain = text.replace('|', '');
    assert.deepEqual(boundedContext(plain, cursor, 1000, 1000), {
      prefix: 'line1\nline2\nline3',
      suffix: 'rest3\nline4\nline5',
    });
    assert.deepEqual(boundedContext(plain, cursor, 10, 10), { prefix: 'line3', suffix: 'rest3\n' });
  });

  it('property: the context is a window of the text around the cursor, within its bounds', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', 'b', '\n'), maxLength: 60 }),
        fc.nat(70),
        fc.nat(20),
        fc.nat(20),
        (text, offset, maxPrefix, maxSuffix) => {
          const { prefix, suffix } = boundedContext(text, offset, maxPrefix, maxSuffix);
          const at = Math.min(offset, text.length);
          assert.ok(prefix.length <= maxPrefix && suffix.length <= maxSuffix);
          assert.ok(text.slice(0, at).endsWith(prefix));
          assert.ok(text.slice(at).startsWith(suffix));
        },
      ),
    );
  });

  it('builds a short request with file name, language and the cursor marked', () => {
    const request = buildFimRequest({
      prefix: 'const a = ',
      suffix: ';\n',
      fileName: 'src/a.ts',
      languageId: 'typescript',
      model: 'claude-haiku-4-5',
      maxTokens: 64,
    });
    assert.equal(request.model, 'claude-haiku-4-5');
    assert.equal(request.maxTokens, 64);
    const content = request.messages[0]?.content;
    assert.equal(typeof content, 'string');
    assert.match(content as string, /File: src\/a\.ts\nLanguage: typescript\n\nconst a = <\|cursor\|>;\n$/);
    assert.ok(typeof request.system === 'string' && request.system.includes(CURSOR_MARK));
  });
});

describe('CompletionCache', () => {
  it('returns the rest of a suggestion while typing through it, without another entry', () => {
    const cache = new CompletionCache(4);
    cache.set('const x = ', '\n', 'compute(a, b);');
    assert.equal(cache.get('const x = ', '\n'), 'compute(a, b);');
    assert.equal(cache.get('const x = comp', '\n'), 'ute(a, b);');
    assert.equal(cache.get('const x = compX', '\n'), undefined, 'typed something else');
    assert.equal(cache.get('const x = compute(a, b);', '\n'), undefined, 'typed all of it');
    assert.equal(cache.get('const x = comp', 'other'), undefined, 'another suffix');
    assert.equal(cache.size, 1);
  });

  it('drops the least recently used entry first', () => {
    const cache = new CompletionCache(2);
    cache.set('a', '', '1');
    cache.set('b', '', '2');
    assert.equal(cache.get('a', ''), '1');
    cache.set('c', '', '3');
    assert.equal(cache.get('b', ''), undefined);
    assert.equal(cache.get('a', ''), '1');
    assert.equal(cache.get('c', ''), '3');
    assert.throws(() => new CompletionCache(0), TypeError);
  });
});

describe('shedding', () => {
  const queued = (estimatedStartMs?: number, retryAtMs?: number) => ({
    state: 'queued' as const,
    attempts: 0,
    model: 'm',
    ...(estimatedStartMs !== undefined ? { estimatedStartMs } : {}),
    ...(retryAtMs !== undefined ? { retryAtMs } : {}),
  });

  it('sheds a completion that would wait more than a second, keeps one that starts soon', () => {
    assert.equal(shedUntilMs({ state: 'in_flight', attempts: 1, model: 'm' }, 0), undefined);
    assert.equal(shedUntilMs(queued(900), 0), undefined);
    assert.equal(shedUntilMs(queued(5000), 0), 5000);
    assert.equal(shedUntilMs(queued(100, 3000), 0), 3000, 'a retry wait counts');
    assert.equal(shedUntilMs(queued(), 0), undefined, 'no estimate: kept');
  });

  it('pauses until the shed one would have started, then resumes by itself', () => {
    const pause = new CompletionPause();
    assert.equal(pause.isPaused(0), false);
    pause.pause(5000);
    pause.pause(3000);
    assert.equal(pause.isPaused(4999), true);
    assert.equal(pause.isPaused(5000), false);
  });
});

describe('per-language switch', () => {
  const settings = (raw: Record<string, unknown>) => normalizeSettings((k) => raw[k]);

  it('is off unless enabled; a language override or `*` narrows it', () => {
    assert.equal(isCompletionEnabledFor(settings({}), 'typescript'), false);
    const on = settings({ 'inlineCompletions.enabled': true });
    assert.equal(isCompletionEnabledFor(on, 'typescript'), true);
    const only = settings({
      'inlineCompletions.enabled': true,
      'inlineCompletions.languages': { '*': false, typescript: true },
    });
    assert.equal(isCompletionEnabledFor(only, 'typescript'), true);
    assert.equal(isCompletionEnabledFor(only, 'markdown'), false);
    const off = settings({ 'inlineCompletions.languages': { typescript: true } });
    assert.equal(isCompletionEnabledFor(off, 'typescript'), false, 'an override never turns on what is off');
  });
});
