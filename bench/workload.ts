import { mulberry32, type Prng } from '../sim/random';
import type { Lane } from '../src/pacer/index';
import type { BenchJob } from './types';

/** How a group's jobs arrive: spread evenly over a span, or in bursts of `size` every `everyMs`. */
export type Arrivals =
  | { readonly kind: 'spread'; readonly fromMs: number; readonly toMs: number }
  | { readonly kind: 'bursts'; readonly startMs: number; readonly everyMs: number; readonly size: number };

/** A group of similar jobs. Sizes are log-uniform in [min, max] input tokens. */
export interface JobGroup {
  readonly count: number;
  readonly lane: Lane;
  /** Models, picked uniformly per job. */
  readonly models: readonly string[];
  readonly inputTokens: readonly [min: number, max: number];
  readonly arrivals: Arrivals;
}

/** A seeded workload: the same jobs, prompts and arrival times for every strategy. */
export interface WorkloadSpec {
  readonly seed: number;
  readonly maxTokens: number;
  readonly groups: readonly JobGroup[];
  /** Shuffle the groups' jobs together (seeded) before ordering by arrival, so equal arrival times mix lanes. */
  readonly interleave?: boolean;
}

const WORDS =
  'rate limit token bucket refill queue lane editor request answer pace burst window model key'.split(' ');

function filler(random: Prng, length: number): string {
  let text = '';
  while (text.length < length) text += `${WORDS[Math.floor(random() * WORDS.length)]!} `;
  return text.slice(0, length);
}

/** A prompt of exactly `4 × tokens` characters (the simulator counts ceil(chars / 4)). */
export function promptOf(id: number, tokens: number, base: string): string {
  const head = `Job ${id}. `;
  const chars = Math.max(head.length, tokens * 4);
  let body = head;
  const offset = (id * 7919) % (base.length / 2);
  while (body.length < chars) body += base.slice(offset, offset + (chars - body.length));
  return body.slice(0, chars);
}

function arrivalAt(arrivals: Arrivals, index: number, count: number): number {
  if (arrivals.kind === 'bursts')
    return arrivals.startMs + Math.floor(index / arrivals.size) * arrivals.everyMs;
  const span = arrivals.toMs - arrivals.fromMs;
  return arrivals.fromMs + (count <= 1 ? 0 : Math.round((span * index) / (count - 1)));
}

/** Builds the jobs of a spec, sorted by arrival (ids 1…n in that order). */
export function makeJobs(spec: WorkloadSpec): BenchJob[] {
  const random = mulberry32(spec.seed);
  const base = filler(random, 65_536);
  const drafts: Omit<BenchJob, 'id' | 'prompt'>[] = [];
  for (const group of spec.groups) {
    const [min, max] = group.inputTokens;
    for (let i = 0; i < group.count; i++) {
      const size = Math.round(Math.exp(Math.log(min) + random() * (Math.log(max) - Math.log(min))));
      drafts.push({
        lane: group.lane,
        model: group.models[Math.floor(random() * group.models.length)]!,
        maxTokens: spec.maxTokens,
        inputTokens: size,
        arriveAtMs: arrivalAt(group.arrivals, i, group.count),
      });
    }
  }
  if (spec.interleave) {
    for (let i = drafts.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [drafts[i], drafts[j]] = [drafts[j]!, drafts[i]!];
    }
  }
  drafts.sort((a, b) => a.arriveAtMs - b.arriveAtMs);
  return drafts.map((d, i) => {
    const prompt = promptOf(i + 1, d.inputTokens, base);
    return { ...d, id: i + 1, prompt, inputTokens: Math.ceil(prompt.length / 4) };
  });
}
