import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lmFailureOf } from '../../../src/lmProvider/model/lmFailure';
import {
  BUILT_IN_MODELS,
  catalogFromModelList,
  maxTokensFor,
} from '../../../src/lmProvider/model/modelCatalog';
import type { FailureReason, RequestResult } from '../../../src/pacer/index';
import { ENGLISH } from '../../../src/status/model/localize';

void describe('catalogFromModelList', () => {
  void it('reads id, display name, limits, line and image support from the list', () => {
    const catalog = catalogFromModelList([
      {
        type: 'model',
        id: 'claude-opus-5',
        display_name: 'Claude Opus 5',
        max_input_tokens: 1_000_000,
        max_tokens: 128_000,
        line: 'opus',
        capabilities: { image_input: { supported: true } },
      },
      {
        type: 'model',
        id: 'claude-text-1',
        display_name: '',
        capabilities: { image_input: { supported: false } },
      },
    ]);
    assert.deepEqual(catalog, [
      {
        id: 'claude-opus-5',
        name: 'Claude Opus 5',
        family: 'opus',
        maxInputTokens: 1_000_000,
        maxOutputTokens: 128_000,
        acceptsImages: true,
      },
      {
        id: 'claude-text-1',
        name: 'claude-text-1',
        family: 'text',
        maxInputTokens: 200_000,
        maxOutputTokens: 64_000,
        acceptsImages: false,
      },
    ]);
  });

  void it('skips entries without a usable id, duplicates and retired models; nothing usable is undefined', () => {
    assert.equal(
      catalogFromModelList([null, 3, { id: '' }, { id: 'a b' }, { id: 'x', lifecycle: 'retired' }]),
      undefined,
    );
    assert.equal(catalogFromModelList([{ id: 'm-1' }, { id: 'm-1' }])?.length, 1);
    assert.ok(BUILT_IN_MODELS.length > 0);
  });

  void it('asks for the configured output tokens, never above the model', () => {
    const entry = BUILT_IN_MODELS[0]!;
    assert.equal(maxTokensFor(entry, 4096), 4096);
    assert.equal(maxTokensFor(entry, 10_000_000), entry.maxOutputTokens);
  });
});

function failed(kind: FailureReason['kind'], message = 'x', partialText = ''): RequestResult {
  return { status: 'failed', reason: { kind, message }, partialText, attempts: 1 };
}

void describe('lmFailureOf', () => {
  void it('is undefined for a completed request', () => {
    const done: RequestResult = {
      status: 'completed',
      text: '',
      model: 'm',
      usedFallback: false,
      attempts: 1,
      keyId: 'k',
      stopReason: 'end_turn',
      usage: { inputTokens: 1, outputTokens: 1, cacheCreationInputTokens: 0, cacheReadInputTokens: 0 },
    };
    assert.equal(lmFailureOf(done), undefined);
  });

  void it('gives never-fits, key and spend failures our one sentence and the matching code', () => {
    const neverFits = lmFailureOf(
      failed('never_fits', 'This request needs 90,000 input tokens but the limit is 30,000 per minute.'),
    );
    assert.deepEqual(neverFits, {
      message: 'This request needs 90,000 input tokens but the limit is 30,000 per minute.',
      code: undefined,
    });
    assert.equal(lmFailureOf(failed('key_rejected'))?.code, 'NoPermissions');
    assert.match(lmFailureOf(failed('key_rejected'))!.message, /rejected your API key/);
    assert.equal(lmFailureOf(failed('no_keys'))?.code, 'NoPermissions');
    assert.equal(lmFailureOf(failed('spend_limit'))?.code, 'Blocked');
    assert.match(lmFailureOf(failed('spend_limit'))!.message, /usage limit is reached/);
    assert.equal(lmFailureOf({ status: 'cancelled', partialText: 'ab' })?.code, 'Cancelled');
  });

  void it('never carries the partial answer in the message', () => {
    const failure = lmFailureOf(failed('interrupted', 'The answer was interrupted.', 'PARTIAL-ANSWER'));
    assert.equal(failure?.message.includes('PARTIAL-ANSWER'), false);
  });

  void it('sends its sentences through the given localize', () => {
    const upper = (message: string, ...args: Array<string | number>): string =>
      ENGLISH(message.toUpperCase(), ...args);
    assert.deepEqual(lmFailureOf({ status: 'cancelled', partialText: '' }, upper), {
      message: 'THE REQUEST WAS CANCELLED.',
      code: 'Cancelled',
    });
    assert.equal(
      lmFailureOf(failed('no_keys'), upper)?.message,
      'CLAUDE PACER HAS NO API KEY YET. ADD ONE TO SEND REQUESTS.',
    );
  });
});
