import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { answerEndingOf, endedTurn, isCutOffAtOutputLimit } from '../../../src/chat/model/answerEnding';
import { canResume, type ChatTurn } from '../../../src/chat/model/chatConversation';
import { waitProgressLine } from '../../../src/chat/model/chatWait';
import type { RequestResult } from '../../../src/pacer/index';
import { ENGLISH } from '../../../src/status/model/localize';

const failed: RequestResult = {
  status: 'failed',
  reason: { kind: 'retries_exhausted', message: 'Claude is overloaded.' },
  partialText: '',
  attempts: 3,
};
const pending: ChatTurn = {
  id: 'a1',
  role: 'assistant',
  text: 'Half an',
  status: 'streaming',
  createdAtMs: 0,
};

describe('how an answer ended (chat view and @claude)', () => {
  it('a completed answer keeps the model that answered', () => {
    const result: RequestResult = {
      status: 'completed',
      text: 'done',
      usage: { inputTokens: 1, outputTokens: 1, cacheCreationInputTokens: 0, cacheReadInputTokens: 0 },
      model: 'claude-haiku-4-5',
      usedFallback: true,
      attempts: 1,
      keyId: 'k1',
      stopReason: 'end_turn',
    };
    const ending = answerEndingOf(result, true);
    assert.deepEqual(ending, { kind: 'completed', model: 'claude-haiku-4-5' });
    assert.deepEqual(endedTurn(pending, ending), {
      ...pending,
      status: 'complete',
      model: 'claude-haiku-4-5',
    });
  });

  it('an answer cut off at the output limit is interrupted with a note saying so, so the page offers Continue', () => {
    const result: RequestResult = {
      status: 'completed',
      text: 'Half an',
      usage: { inputTokens: 1, outputTokens: 8, cacheCreationInputTokens: 0, cacheReadInputTokens: 0 },
      model: 'claude-sonnet-4-6',
      usedFallback: false,
      attempts: 1,
      keyId: 'k1',
      stopReason: 'max_tokens',
    };
    assert.equal(isCutOffAtOutputLimit(result), true);
    assert.equal(isCutOffAtOutputLimit({ ...result, stopReason: 'end_turn' }), false);
    assert.equal(isCutOffAtOutputLimit({ status: 'cancelled', partialText: 'Half' }), false);
    const ending = answerEndingOf(result, true);
    assert.deepEqual(ending, { kind: 'cutOff', model: 'claude-sonnet-4-6' });
    const turn = endedTurn(pending, ending);
    assert.equal(turn.status, 'interrupted');
    assert.equal(turn.model, 'claude-sonnet-4-6');
    assert.match(turn.note ?? '', /^Cut off at the output limit \(claudePacer\.maxOutputTokens\)/);
    assert.ok(canResume(turn), 'Continue is offered');
    const upper = (message: string): string => message.toUpperCase();
    assert.match(endedTurn(pending, ending, upper).note ?? '', /^CUT OFF AT THE OUTPUT LIMIT/);
  });

  it('a failure interrupts an answer that has text, and fails one that has none, with the same advice', () => {
    const interrupted = answerEndingOf(failed, true);
    const none = answerEndingOf(failed, false);
    assert.equal(interrupted.kind, 'interrupted');
    assert.equal(none.kind, 'failed');
    const advice = 'advice' in none ? none.advice : '';
    assert.ok(advice.length > 0);
    assert.deepEqual(endedTurn(pending, interrupted), {
      ...pending,
      status: 'interrupted',
      note: `Interrupted: ${advice}`,
    });
    assert.deepEqual(endedTurn({ ...pending, text: '' }, none), {
      ...pending,
      text: '',
      status: 'failed',
      note: advice,
    });
  });

  it('a cancel stops it, and the note says whether Claude had answered anything', () => {
    const cancelled: RequestResult = { status: 'cancelled', partialText: '' };
    assert.equal(endedTurn(pending, answerEndingOf(cancelled, true)).note, 'Stopped.');
    assert.equal(
      endedTurn(pending, answerEndingOf(cancelled, false)).note,
      'Stopped before Claude answered.',
    );
    assert.equal(endedTurn(pending, answerEndingOf(cancelled, false)).status, 'stopped');
  });

  it('words its notes through the given localize', () => {
    const t = (message: string, ...args: Array<string | number>): string =>
      `[de] ${ENGLISH(message, ...args)}`;
    const cancelled: RequestResult = { status: 'cancelled', partialText: '' };
    assert.equal(endedTurn(pending, answerEndingOf(cancelled, true), t).note, '[de] Stopped.');
    assert.equal(
      endedTurn(pending, { kind: 'interrupted', advice: 'Try again.' }, t).note,
      '[de] Interrupted: Try again.',
    );
  });
});

describe('the @claude progress line', () => {
  const NOW = 1_000_000;
  const banner = {
    messageId: 'participant',
    reason: 'requests per minute',
    isLong: false,
    remainingMs: 12_000,
  };

  it('reads like the banner and says when the wait is long', () => {
    assert.equal(waitProgressLine(banner, NOW).text, 'Waiting for requests per minute · starts in 0:12');
    assert.equal(
      waitProgressLine({ ...banner, isLong: true }, NOW).text,
      'Waiting for requests per minute · starts in 0:12 · a long wait (Stop cancels it)',
    );
  });

  it('words the line through the given localize', () => {
    const upper = (message: string, ...args: Array<string | number>): string =>
      ENGLISH(message.toUpperCase(), ...args);
    assert.equal(
      waitProgressLine({ ...banner, isLong: true }, NOW, upper).text,
      'WAITING FOR requests per minute · STARTS IN 0:12 · A LONG WAIT (STOP CANCELS IT)',
    );
  });

  it('is reported again only in 5-second countdown steps or when the reason, place or length changes', () => {
    const key = (b: typeof banner & { position?: number }): string => waitProgressLine(b, NOW).key;
    assert.equal(key({ ...banner, remainingMs: 11_000 }), key(banner), 'same 5 s step');
    assert.notEqual(key({ ...banner, remainingMs: 9_000 }), key(banner));
    assert.notEqual(key({ ...banner, position: 2 }), key(banner));
    assert.notEqual(key({ ...banner, isLong: true }), key(banner));
  });
});
