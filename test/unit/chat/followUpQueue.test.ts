import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  afterAnswer,
  EMPTY_QUEUE,
  MAX_QUEUED_MESSAGES,
  takeNext,
  withoutQueued,
  withQueued,
  type FollowUpQueue,
  type QueuedMessage,
} from '../../../src/chat/model/followUpQueue';

const message = (n: number): QueuedMessage => ({ id: `q${n}`, text: `question ${n}` });

function queueOf(...ns: number[]): FollowUpQueue {
  return ns.reduce((q, n) => withQueued(q, message(n)).queue, EMPTY_QUEUE);
}

describe('the follow-ups queue', () => {
  it('sends queued messages in the order they were queued, one per completed answer', () => {
    let queue = queueOf(1, 2, 3);
    const sent: string[] = [];
    for (;;) {
      const step = afterAnswer(queue, 'completed');
      queue = step.queue;
      if (!step.next) break;
      sent.push(step.next.id);
    }
    assert.deepEqual(sent, ['q1', 'q2', 'q3']);
    assert.deepEqual(queue, EMPTY_QUEUE);
  });

  it('a cancelled message is never sent, and the others keep their order', () => {
    const queue = withoutQueued(queueOf(1, 2, 3), 'q2');
    assert.deepEqual(
      queue.messages.map((m) => m.id),
      ['q1', 'q3'],
    );
    assert.equal(withoutQueued(queue, 'q9'), queue, 'an unknown id changes nothing');
    assert.deepEqual(withoutQueued(withoutQueued(queue, 'q1'), 'q3'), EMPTY_QUEUE);
  });

  it('an answer that did not complete pauses the queue and keeps every message', () => {
    const paused = afterAnswer(queueOf(1, 2), 'notCompleted');
    assert.equal(paused.next, undefined, 'nothing is sent after a failed, stopped or cut-off answer');
    assert.deepEqual(
      paused.queue.messages.map((m) => m.id),
      ['q1', 'q2'],
    );
    assert.equal(paused.queue.isPaused, true);
    // Still paused after another failure; a completed answer (a Continue or Retry) resumes it in order.
    const again = afterAnswer(paused.queue, 'notCompleted');
    assert.deepEqual(again.queue, paused.queue);
    const resumed = afterAnswer(again.queue, 'completed');
    assert.equal(resumed.next?.id, 'q1');
    assert.deepEqual(resumed.queue, { messages: [message(2)], isPaused: false });
    // A failure with nothing queued pauses nothing.
    assert.deepEqual(afterAnswer(EMPTY_QUEUE, 'notCompleted').queue, EMPTY_QUEUE);
  });

  it('a message sent while paused goes last and the oldest is sent first', () => {
    const paused = afterAnswer(queueOf(1, 2), 'notCompleted').queue;
    const added = withQueued(paused, message(3)).queue;
    const step = takeNext(added);
    assert.equal(step.next?.id, 'q1');
    assert.deepEqual(step.queue, { messages: [message(2), message(3)], isPaused: false });
    assert.deepEqual(takeNext(EMPTY_QUEUE), { queue: EMPTY_QUEUE });
  });

  it('cancelling the last paused message leaves an empty running queue', () => {
    const paused = afterAnswer(queueOf(1), 'notCompleted').queue;
    assert.deepEqual(withoutQueued(paused, 'q1'), EMPTY_QUEUE);
  });

  it(`holds at most ${MAX_QUEUED_MESSAGES} messages and refuses the next`, () => {
    const full = queueOf(...Array.from({ length: MAX_QUEUED_MESSAGES }, (_, i) => i));
    const refused = withQueued(full, message(99));
    assert.equal(refused.isAccepted, false);
    assert.equal(refused.queue, full);
    assert.equal(withQueued(EMPTY_QUEUE, message(1)).isAccepted, true);
  });

  it('whatever the queueing, cancelling and answer outcomes, messages are sent in queue order, each at most once', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('queue' as const) }),
      fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('answer' as const), isCompleted: fc.boolean() }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        let queue = EMPTY_QUEUE;
        let made = 0;
        const sent: number[] = [];
        const cancelled = new Set<number>();
        for (const o of ops) {
          if (o.kind === 'queue') queue = withQueued(queue, message(made++)).queue;
          else if (o.kind === 'cancel' && queue.messages.length > 0) {
            const victim = queue.messages[o.pick % queue.messages.length]!;
            cancelled.add(Number(victim.id.slice(1)));
            queue = withoutQueued(queue, victim.id);
          } else if (o.kind === 'answer') {
            const step = afterAnswer(queue, o.isCompleted ? 'completed' : 'notCompleted');
            queue = step.queue;
            if (step.next) sent.push(Number(step.next.id.slice(1)));
            if (!o.isCompleted) assert.equal(step.next, undefined);
          }
        }
        assert.deepEqual(
          sent,
          [...sent].sort((a, b) => a - b),
          'in order',
        );
        assert.equal(new Set(sent).size, sent.length, 'each once');
        assert.ok(
          sent.every((n) => !cancelled.has(n)),
          'never a cancelled one',
        );
        assert.ok(queue.messages.length <= MAX_QUEUED_MESSAGES);
      }),
    );
  });
});
