// Everything a finished load must satisfy, whatever the fault: one ending per request, the ending
// its attempt history calls for, nothing sent after the end or after output, the user's sentence.
import type { KeySnapshot } from '../../../src/pacer/scheduling/schedulerSnapshot';
import { endingOf, expectedEnding, userMessage, type Ending, type RetryPolicy } from './expectedEnding';
import { ALL_KEYS, LOAD_BACKOFF, type LoadRequest, type LoadRun } from './loadRun';

/** What a scenario allows beyond the common rules. */
export interface CheckOptions {
  /** Endings a request may have when no key could take it any more (see `Expected`). */
  readonly noPlanEndings?: readonly Ending[];
  /** Whether organization B must keep serving (no stall) during the run. @default true */
  readonly isBUnaffected?: boolean;
  readonly policy?: Partial<RetryPolicy>;
}

/** Default retry limits of the load (backoff.maxAttempts 5, maxRateLimitRetries 8). */
export const LOAD_POLICY: RetryPolicy = { maxAttempts: LOAD_BACKOFF.maxAttempts, maxRateLimitRetries: 8 };

function checkRequest(run: LoadRun, r: LoadRequest, options: CheckOptions, problems: string[]): void {
  const say = (text: string): number =>
    problems.push(`request ${r.index} (${r.handle?.id ?? 'unsubmitted'}): ${text}`);
  const result = r.result;
  if (result === undefined || r.resolutions !== 1) {
    say(`resolved ${r.resolutions} times`);
    return;
  }
  if (r.textsAfterEnd > 0) say(`${r.textsAfterEnd} text deltas arrived after the end`);
  const attempts = run.attemptsOf(r);
  for (const [i, a] of attempts.entries()) {
    if (a.outcome === undefined) say(`attempt ${i + 1} never ended`);
    if (run.rig.attempts.indexOf(a) >= (r.attemptsWhenEnded ?? 0))
      say(`attempt ${i + 1} was sent after the request ended`);
    if (i < attempts.length - 1 && a.deltas > 0) say(`sent again after attempt ${i + 1} delivered output`);
  }
  const policy = { ...LOAD_POLICY, ...options.policy };
  const expected = expectedEnding(r, attempts, policy);
  const actual = endingOf(result);
  const last = attempts.at(-1)?.outcome;
  const streamed = r.texts.join('');
  if (expected.ending === 'no_plan') {
    if (!(options.noPlanEndings ?? []).includes(actual)) {
      const cause = last?.kind === 'failure' ? last.error.kind : 'no attempt';
      say(`ended ${actual} although its last attempt (${cause}) sent it back to the queue`);
    }
  } else if (actual !== expected.ending) say(`ended ${actual}, its attempt history says ${expected.ending}`);
  if (result.status === 'completed') {
    if (last?.kind !== 'success' || result.text !== last.text)
      say('completed text is not the last attempt’s text');
    if (result.text === '' || result.text !== streamed)
      say('completed text differs from what was streamed to the caller');
    if (result.attempts !== attempts.length)
      say(`reports ${result.attempts} attempts, made ${attempts.length}`);
    if (result.keyId !== attempts.at(-1)?.keyId) say('completed on another key than its last attempt');
  } else if (result.status === 'failed') {
    if (result.attempts !== attempts.length)
      say(`reports ${result.attempts} attempts, made ${attempts.length}`);
    if (expected.message !== undefined && result.reason.message !== expected.message)
      say(`message "${result.reason.message}", expected "${expected.message}"`);
    const partial = result.reason.kind === 'interrupted' && last?.kind === 'failure' ? last.partialText : '';
    if (result.partialText !== partial || (partial !== '' && partial !== streamed))
      say('partial text is not what was streamed');
    const sentence = userMessage(result) ?? '';
    if (sentence.trim() === '') say('the user would see an empty message');
  } else if (result.partialText !== streamed) {
    say('cancelled partial text is not what was streamed');
  }
}

/** Every problem with a finished load (empty when it is sound). */
export function checkLoad(run: LoadRun, options: CheckOptions = {}): string[] {
  const problems: string[] = [];
  for (const r of run.requests) checkRequest(run, r, options, problems);
  // One HTTP request per attempt; an attempt cancelled at once may end before its request leaves.
  const messages = run.rig.messages().length;
  const aborted = run.rig.attempts.filter(
    (a) => a.outcome?.kind === 'failure' && a.outcome.error.kind === 'aborted',
  ).length;
  if (messages > run.rig.attempts.length || messages < run.rig.attempts.length - aborted)
    problems.push(
      `${run.rig.attempts.length} attempts (${aborted} cancelled) but the simulator saw ${messages} requests`,
    );
  const snapshot = run.rig.scheduler.snapshot();
  if (snapshot.inFlight !== 0 || Object.values(snapshot.queued).some((n) => n !== 0))
    problems.push(
      `the scheduler still holds work: ${JSON.stringify(snapshot.queued)}, ${snapshot.inFlight} in flight`,
    );
  const visible = JSON.stringify([run.requests.map((r) => r.result), run.rig.logs, snapshot]);
  for (const key of ALL_KEYS)
    if (visible.includes(key.secret.slice(0, -4)))
      problems.push(`key ${key.id}'s secret shows in results, logs or snapshot`);
  if (options.isBUnaffected ?? true) problems.push(...run.stalls.map((s) => `stall: ${s}`));
  return problems;
}

/** How many requests ended each way. */
export function endingCounts(run: LoadRun): Partial<Record<Ending, number>> {
  const counts: Partial<Record<Ending, number>> = {};
  for (const r of run.requests) {
    if (r.result === undefined) continue;
    const ending = endingOf(r.result);
    counts[ending] = (counts[ending] ?? 0) + 1;
  }
  return counts;
}

/** The distinct sentences the user would see, by failure kind. */
export function userMessages(run: LoadRun): Partial<Record<Ending, string[]>> {
  const out: Partial<Record<Ending, string[]>> = {};
  for (const r of run.requests) {
    if (r.result?.status !== 'failed') continue;
    const seen = (out[r.result.reason.kind] ??= []);
    const sentence = userMessage(r.result) ?? '';
    if (!seen.includes(sentence)) seen.push(sentence);
  }
  for (const list of Object.values(out)) list.sort();
  return out;
}

/** Keys by state at the end of the run, e.g. `{ a1: 'rejected', a2: 'ok', b1: 'ok' }`. */
export function keyStates(run: LoadRun): Record<string, KeySnapshot['state']> {
  return Object.fromEntries(run.rig.scheduler.snapshot().keys.map((k) => [k.id, k.state]));
}
