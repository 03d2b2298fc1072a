import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeTypingSession, TYPIST, type TypistSpec } from '../../../bench/typist';

const SPEC: TypistSpec = { ...TYPIST, seed: 7, durationMs: 20_000, fileChars: 2_000 };

describe('the benchmark typist', () => {
  it('types bursts a keystroke every 120 ms, pausing 0.5-2 s after each, one character at a time', () => {
    const session = makeTypingSession(SPEC);
    const keys = session.keystrokes;
    let burst = 0;
    for (const [i, key] of keys.entries()) {
      burst++;
      const gap = i === 0 ? key.atMs : key.atMs - keys[i - 1]!.atMs;
      if (i > 0 && keys[i - 1]!.pauseIndex !== undefined) {
        assert.ok(gap >= 500 + 120 && gap <= 2_000 + 120, `pause of ${gap} ms`);
      } else assert.equal(gap, 120);
      assert.equal(key.text.length, 2_000 + i + 1);
      if (key.pauseIndex !== undefined) {
        assert.ok(burst <= 8 && (burst >= 2 || i === keys.length - 1), `burst of ${burst}`);
        burst = 0;
      }
    }
    const marks = keys.flatMap((k) => (k.pauseIndex === undefined ? [] : [k.pauseIndex]));
    assert.deepEqual(
      marks,
      Array.from({ length: session.pauses }, (_, i) => i),
    );
    assert.equal(keys.at(-1)?.pauseIndex, session.pauses - 1, 'the last keystroke ends a pause');
  });

  it('asks a chat question every 10 s from 5 s, and a seed gives the same session every time', () => {
    const session = makeTypingSession(SPEC);
    assert.deepEqual(
      session.chats.map((c) => c.atMs),
      [5_000, 15_000],
    );
    for (const chat of session.chats) assert.ok(chat.prompt.length >= 4_000 && chat.prompt.length <= 12_000);
    assert.deepEqual(makeTypingSession(SPEC), session);
  });
});
