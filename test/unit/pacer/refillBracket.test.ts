import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RefillBracket } from '../../../src/pacer/limits/refillBracket';

// A bucket of one request refilling 60 a minute at most (0.001 per ms), like "60 RPM as 1 per second".
const ONE = { least: 1, most: 1 };
const NOMINAL = 1 / 1000;

/** Sends request `seq` at `atMs` and records its fate: admitted (level shown 0 right after) or refused. */
function send(b: RefillBracket, seq: number, atMs: number, fate: 'ok' | '429' | 'void' | 'lost'): void {
  b.noteSent(seq, atMs);
  if (fate === 'ok') b.noteAdmitted(seq, 1, [0, 1]);
  else if (fate === '429') b.noteRefused(seq, 1, true);
  else if (fate === 'void') b.noteVoid(seq);
  else b.noteUnknown(seq, 1);
}

describe('RefillBracket: the net refill that explains when the server admitted and refused', () => {
  it('an admission after a gap bounds it from below, a refusal after a shorter gap from above', () => {
    const b = new RefillBracket();
    send(b, 1, 0, 'ok');
    send(b, 2, 1_500, 'ok'); // empty after #1: 1,500 ms refilled at least one request
    send(b, 3, 2_700, '429'); // 1,200 ms did not
    const range = b.range(ONE, NOMINAL, 0)!;
    assert.ok(Math.abs(range.low - 1 / 1500) < 1e-7, `low ${range.low}`);
    assert.ok(Math.abs(range.high - 1 / 1200) < 1e-7, `high ${range.high}`);
    assert.equal(range.isCapped, true);
    assert.equal(range.isContradicted, false);
  });

  it('without a refusal the top is the nominal refill (not capped)', () => {
    const b = new RefillBracket();
    send(b, 1, 0, 'ok');
    send(b, 2, 1_000, 'ok');
    const range = b.range(ONE, NOMINAL, 0)!;
    assert.equal(range.high, NOMINAL);
    assert.equal(range.isCapped, false);
  });

  it('a request still in flight hides every later fate: only the known prefix counts', () => {
    const b = new RefillBracket();
    send(b, 1, 0, 'ok');
    b.noteSent(2, 1_500);
    send(b, 3, 2_700, '429');
    assert.equal(b.range(ONE, NOMINAL, 0), undefined);
    b.noteAdmitted(2, 1, [0, 1]);
    assert.equal(b.range(ONE, NOMINAL, 0)!.isCapped, true);
  });

  it('a request another limit refused, or one that may not have been charged, bounds nothing', () => {
    const b = new RefillBracket();
    send(b, 1, 0, 'ok');
    send(b, 2, 300, 'void');
    send(b, 3, 600, 'lost');
    send(b, 4, 2_000, 'ok');
    // Had #3 been charged, #4 needed 2 requests of refill in 2,000 ms; it may not have been.
    const range = b.range(ONE, NOMINAL, 0)!;
    assert.ok(Math.abs(range.low - 1 / 2000) < 1e-7, `low ${range.low}`);
  });

  it('drops the oldest observations that no steady refill explains together with the newest', () => {
    const b = new RefillBracket();
    send(b, 1, 0, 'ok');
    send(b, 2, 1_000, 'ok'); // 1,000 ms were enough…
    send(b, 3, 2_500, '429'); // …but 1,500 ms were not: someone drew at random in between
    const range = b.range(ONE, NOMINAL, 0)!;
    assert.equal(range.isContradicted, true);
    assert.ok(range.high < 1 / 1500, `high ${range.high}`);
    // Dropped for good: the same question again finds no contradiction.
    assert.equal(b.range(ONE, NOMINAL, 0)!.isContradicted, false);
  });

  it('reads token readings as intervals: a level shown after an admission bounds the refill both ways', () => {
    const b = new RefillBracket();
    const tokens = { least: 4_000, most: 4_000 };
    b.noteSent(1, 0);
    b.noteAdmitted(1, 4_000, [0, 500]); // the bucket was full, now empty
    b.noteSent(2, 1_000);
    b.noteAdmitted(2, 1_000, [1_500, 2_500]); // 2,500-3,500 refilled in 1,000 ms
    const range = b.range(tokens, 4, 0)!;
    assert.ok(range.low >= 2 && range.low < 2.6, `low ${range.low}`);
    assert.ok(range.high > 2.9 && range.high <= 3.5, `high ${range.high}`);
  });

  it('forgets what is older than the horizon', () => {
    const b = new RefillBracket();
    send(b, 1, 0, 'ok');
    send(b, 2, 1_200, '429');
    send(b, 3, 60_000, 'ok');
    send(b, 4, 61_000, 'ok');
    assert.equal(b.range(ONE, NOMINAL, 30_000)!.isCapped, false);
  });

  it('a floored count hides part of the burst: it tries each size the readings allow, and keeps the smallest that explains them', () => {
    // A burst of 1.33 requests shows as `remaining: 0` after every admission, like a burst of 1.
    const sent = (b: RefillBracket): void => {
      send(b, 1, 0, 'ok'); // full: 1.33 → 0.33
      send(b, 2, 500, '429'); // 0.83
      send(b, 3, 700, 'ok'); // 1.03 → 0.03: sooner than a burst of one refilling 1 a second allows
    };
    const stepped = new RefillBracket();
    sent(stepped);
    const range = stepped.range({ least: 1, most: 2, isStepped: true }, NOMINAL, 0)!;
    assert.ok(range.low > 0.85 / 1000 && range.low < 1 / 1000, `low ${range.low}`);
    const interval = new RefillBracket();
    sent(interval);
    assert.ok(interval.range({ least: 1, most: 2 }, NOMINAL, 0)!.low < 0.1 / 1000);
  });

  it('a request whose answer came late may have reached the server late: a refusal it explains caps nothing', () => {
    // A trace of the bench's short window: a burst of 1.33 requests refilling 40 a second, sent a
    // refill apart. #2's answer took 14 ms against the quickest 4 ms (a new connection): it reached
    // the server 11 ms late, so #3 met a level just over one request; #3 (8 ms) was 2 ms late, and
    // #4, 24 ms after it at the server, was refused.
    const burst = { least: 1, most: 2, isStepped: true };
    const nominal = 40 / 1000;
    const replay = (b: RefillBracket, answerDelays: readonly number[]): void => {
      const fates = ['ok', 'ok', 'ok', '429'] as const;
      fates.forEach((fate, i) => {
        send(b, i + 1, 1_000 + 25 * i, fate);
        b.noteAnswered(i + 1, 1_000 + 25 * i + answerDelays[i]!);
      });
    };
    const late = new RefillBracket();
    replay(late, [4, 14, 8, 9]);
    assert.equal(late.range(burst, nominal, 0)!.isCapped, false);
    // The same fates with every answer equally quick: the server met them a refill apart, and the
    // refusal shows a net refill under the nominal one.
    const steady = new RefillBracket();
    replay(steady, [4, 4, 4, 4]);
    const range = steady.range(burst, nominal, 0)!;
    assert.ok(range.isCapped && range.high < nominal, `high ${range.high}`);
  });

  it('lateness is read against the quickest answer of its kind: headers that wait for the model do not hide a refusal', () => {
    // A refusal is answered at once (20 ms); an admitted request's headers come with the stream
    // (300 ms, every one alike). Sent a refill apart, the refusal shows a net refill under the nominal.
    const b = new RefillBracket();
    const fates = ['ok', 'ok', 'ok', '429'] as const;
    fates.forEach((fate, i) => {
      send(b, i + 1, 1_000 + 25 * i, fate);
      b.noteAnswered(i + 1, 1_000 + 25 * i + (fate === 'ok' ? 300 : 20));
    });
    const range = b.range({ least: 1, most: 2, isStepped: true }, 40 / 1000, 0)!;
    assert.ok(range.isCapped && range.high < 40 / 1000, `high ${range.high}`);
  });

  it('a refusal counted in estimated tokens bounds nothing until an answered retry shows its real charge', () => {
    const b = new RefillBracket();
    b.noteSent(1, 0);
    b.noteAdmitted(1, 4_000, [0, 500]);
    b.noteSent(2, 500);
    b.noteRefused(2, 1_000, false, 'request-2');
    assert.equal(b.range({ least: 4_000, most: 4_000 }, 8, 0)!.isCapped, false);
    b.noteCharged('request-2', 3_000); // 500 ms did not bring 3,000 tokens: less than 6 a ms
    const range = b.range({ least: 4_000, most: 4_000 }, 8, 0)!;
    assert.ok(range.isCapped && range.high <= 6, `high ${range.high}`);
  });
});
