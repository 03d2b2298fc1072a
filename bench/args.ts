/** Command-line options of `npm run bench`. */
export interface BenchArgs {
  readonly help: boolean;
  readonly json: boolean;
  readonly scenario?: string;
  readonly strategy?: string;
  /** Only the core decision-time benchmark. */
  readonly core: boolean;
  /** Only the VSIX size. */
  readonly vsix: boolean;
  /** External target mode when set. */
  readonly baseUrl?: string;
  readonly keys: readonly string[];
  readonly model: string;
  readonly requests: number;
  readonly interactiveShare: number;
  readonly inputTokens: readonly [number, number];
  readonly maxTokens: number;
  readonly seed: number;
  readonly rpm?: number;
  readonly itpm?: number;
  readonly otpm?: number;
  readonly windowSec: number;
  readonly deadlineSec: number;
}

/** A bad command line; the message names the option. */
export class UsageError extends Error {}

/** Usage text. */
export const USAGE = `npm run bench [-- options]
  (no options)             every scenario with every strategy, then core, VSIX and activation figures
  --scenario <name>        one scenario (steady, bursty, competitor, three-orgs, one-org-three-keys, quota-loss,
                           two-models, short-window, short-window-orgs, background-backlog, minute-real, workspace-tokens,
                           typing: completions while typing and chat, agent: 5 concurrent agent runs;
                           typing and agent: ours and sdk-defaults only; team: 4 clients on one organization,
                           independent / shared-local / shared-redis / bottleneck-cluster, needs redis-server)
  --strategy <name>        one strategy (ours, sdk-defaults, p-queue, bottleneck, bottleneck-exact, guide, ours-64)
  --json                   one JSON object per line per (scenario, strategy) instead of tables
  --core | --vsix          only the core decision-time benchmark | only the VSIX size
External target (one strategy, one JSON line):
  --base-url <url> --keys <k1,k2,...> --model <id> --requests <n> --interactive-share <0..1>
  --input-tokens <min>-<max> --max-tokens <n> --seed <n> [--strategy <name>] [--json]
  [--rpm <n> --itpm <n> --otpm <n>]  published per-minute limits (peers need them; ours learns them if absent)
  [--window-sec <s>]                 seconds the server takes to refill an empty bucket (default 60)
  [--deadline-sec <s>]               give up on what is left after this long (default 600)`;

function number(name: string, raw: string | undefined, min: number, max = Number.POSITIVE_INFINITY): number {
  const n = Number(raw);
  if (raw === undefined || raw.trim() === '' || !Number.isFinite(n) || n < min || n > max)
    throw new UsageError(
      `--${name} needs a number from ${min}${Number.isFinite(max) ? ` to ${max}` : ''}, got ${raw ?? 'nothing'}`,
    );
  return n;
}

/** Parses `argv` (without node and script). */
export function parseArgs(argv: readonly string[]): BenchArgs {
  const flags = new Set(['help', 'json', 'core', 'vsix']);
  const values = new Map<string, string>();
  const seen = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument ${arg}`);
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (flags.has(name)) seen.add(name);
    else if (inline !== undefined) values.set(name, inline);
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) values.set(name, argv[++i]!);
    else throw new UsageError(`--${name} needs a value`);
  }
  const known = [
    'scenario',
    'strategy',
    'base-url',
    'keys',
    'model',
    'requests',
    'interactive-share',
    'input-tokens',
    'max-tokens',
    'seed',
    'rpm',
    'itpm',
    'otpm',
    'window-sec',
    'deadline-sec',
  ];
  for (const name of values.keys())
    if (!known.includes(name)) throw new UsageError(`unknown option --${name}`);
  const range = (values.get('input-tokens') ?? '200-20000').split('-');
  const inputTokens = [number('input-tokens', range[0], 1), number('input-tokens', range[1], 1)] as const;
  if (range.length !== 2 || inputTokens[1] < inputTokens[0])
    throw new UsageError('--input-tokens needs <min>-<max>');
  const optional = (name: string): number | undefined =>
    values.has(name) ? number(name, values.get(name), 1) : undefined;
  const rpm = optional('rpm');
  const itpm = optional('itpm');
  const otpm = optional('otpm');
  const keys = (values.get('keys') ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k !== '');
  const baseUrl = values.get('base-url');
  if (baseUrl !== undefined && keys.length === 0) throw new UsageError('--base-url needs --keys');
  return {
    help: seen.has('help'),
    json: seen.has('json'),
    core: seen.has('core'),
    vsix: seen.has('vsix'),
    ...(values.has('scenario') ? { scenario: values.get('scenario')! } : {}),
    ...(values.has('strategy') ? { strategy: values.get('strategy')! } : {}),
    ...(baseUrl !== undefined ? { baseUrl } : {}),
    keys,
    model: values.get('model') ?? 'claude-sonnet-4-6',
    requests: Math.round(number('requests', values.get('requests') ?? '100', 1)),
    interactiveShare: number('interactive-share', values.get('interactive-share') ?? '0.2', 0, 1),
    inputTokens,
    maxTokens: Math.round(number('max-tokens', values.get('max-tokens') ?? '64', 1)),
    seed: Math.round(number('seed', values.get('seed') ?? '1', 0)),
    ...(rpm !== undefined ? { rpm } : {}),
    ...(itpm !== undefined ? { itpm } : {}),
    ...(otpm !== undefined ? { otpm } : {}),
    windowSec: number('window-sec', values.get('window-sec') ?? '60', 0.001, 60),
    deadlineSec: number('deadline-sec', values.get('deadline-sec') ?? '600', 1),
  };
}
