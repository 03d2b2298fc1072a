import { type Lane, LANES, type Limits, type SchedulerOptions } from '../../pacer/index';

/** Anthropic's published tiers (spec §1.7), to start from before headers teach the real limits. */
export type TierPreset = 'tier1' | 'tier2' | 'tier3' | 'tier4' | 'start' | 'build' | 'scale';

/** Published per-minute limits by tier. */
export const TIER_PRESETS: Readonly<Record<TierPreset, Limits>> = {
  tier1: { requests: 50, inputTokens: 30_000, outputTokens: 8_000 },
  tier2: { requests: 1_000, inputTokens: 450_000, outputTokens: 90_000 },
  tier3: { requests: 2_000, inputTokens: 800_000, outputTokens: 160_000 },
  tier4: { requests: 4_000, inputTokens: 2_000_000, outputTokens: 400_000 },
  start: { requests: 1_000, inputTokens: 2_000_000, outputTokens: 400_000 },
  build: { requests: 5_000, inputTokens: 5_000_000, outputTokens: 1_000_000 },
  scale: { requests: 10_000, inputTokens: 10_000_000, outputTokens: 2_000_000 },
};

/** Every setting, typed; ids are `claudePacer.<key>`. */
export interface PacerSettings {
  readonly model: string;
  readonly maxOutputTokens: number;
  readonly baseUrl: string;
  readonly allowInsecureBaseUrl: boolean;
  readonly 'limits.tier': 'learn' | TierPreset;
  readonly 'limits.requestsPerMinute': number | null;
  readonly 'limits.inputTokensPerMinute': number | null;
  readonly 'limits.outputTokensPerMinute': number | null;
  readonly headroomPercent: number;
  readonly 'priority.chat': Lane;
  readonly 'priority.palette': Lane;
  readonly 'priority.editorCommands': Lane;
  readonly 'priority.background': Lane;
  /** Lane of requests other chats and extensions send to our language models. */
  readonly 'priority.languageModels': Lane;
  readonly backgroundBudgetPercent: number;
  readonly 'retry.baseDelayMs': number;
  readonly 'retry.maxDelayMs': number;
  readonly 'retry.maxAttempts': number;
  readonly maxWaitSeconds: number;
  readonly fallbackModel: string;
  readonly fallbackAfterOverloads: number;
  readonly maxRequestsInFlight: number;
  readonly otpmRegime: 'realtime' | 'legacy';
  readonly exactTokenCounts: boolean;
  readonly requestTimeoutSeconds: number;
  readonly 'trace.logPromptBodies': boolean;
  /** Inline completions (ghost text); off by default because they spend tokens. */
  readonly 'inlineCompletions.enabled': boolean;
  /** Per-language override of `enabled` by language id; `*` stands for every other language. */
  readonly 'inlineCompletions.languages': Readonly<Record<string, boolean>>;
  readonly 'inlineCompletions.model': string;
  readonly 'inlineCompletions.debounceMs': number;
  readonly 'inlineCompletions.maxTokens': number;
  readonly 'inlineCompletions.maxPrefixChars': number;
  readonly 'inlineCompletions.maxSuffixChars': number;
  /** Input + output tokens completions may spend per local day, over all keys; 0 = no budget. */
  readonly 'inlineCompletions.dailyTokenBudget': number;
  /** Redis holding the budget shared with teammates (`redis://` or `rediss://`, no password); '' = none. */
  readonly 'coordination.redisUrl': string;
  /** Without a Redis URL, whether the windows of this machine share one budget (local coordinator). */
  readonly 'coordination.shareAcrossWindows': boolean;
  /** Requests one agent run may send before it stops. */
  readonly 'agent.maxSteps': number;
  /** Input tokens one agent run may draw from the input-token limit before it stops. */
  readonly 'agent.maxInputTokens': number;
  /** Whether agent tools may read secrets files (`.env*`, key files, `.git/`); user-level only. */
  readonly 'agent.allowSecretFiles': boolean;
  /** Command prefixes an agent may run without asking; user-level only, so a repository cannot pre-approve. */
  readonly 'agent.preapprovedCommands': readonly string[];
  /** Whether agent runs offer the tools other extensions registered (vscode.lm.tools); user-level only. */
  readonly 'agent.useVsCodeTools': boolean;
}

/** Section name of all settings. */
export const SETTINGS_SECTION = 'claudePacer';

/** Defaults; `package.json` must declare the same (a test checks). */
export const DEFAULT_SETTINGS: PacerSettings = {
  model: 'claude-sonnet-4-6',
  maxOutputTokens: 4096,
  baseUrl: '',
  allowInsecureBaseUrl: false,
  'limits.tier': 'learn',
  'limits.requestsPerMinute': null,
  'limits.inputTokensPerMinute': null,
  'limits.outputTokensPerMinute': null,
  headroomPercent: 0,
  'priority.chat': 'interactive',
  'priority.palette': 'interactive',
  'priority.editorCommands': 'command',
  'priority.background': 'background',
  'priority.languageModels': 'interactive',
  backgroundBudgetPercent: 50,
  'retry.baseDelayMs': 1000,
  'retry.maxDelayMs': 60_000,
  'retry.maxAttempts': 5,
  maxWaitSeconds: 30,
  fallbackModel: '',
  fallbackAfterOverloads: 3,
  maxRequestsInFlight: 32,
  otpmRegime: 'realtime',
  exactTokenCounts: false,
  requestTimeoutSeconds: 60,
  'trace.logPromptBodies': false,
  'inlineCompletions.enabled': false,
  'inlineCompletions.languages': {},
  'inlineCompletions.model': 'claude-haiku-4-5',
  'inlineCompletions.debounceMs': 300,
  'inlineCompletions.maxTokens': 64,
  'inlineCompletions.maxPrefixChars': 4000,
  'inlineCompletions.maxSuffixChars': 1000,
  'inlineCompletions.dailyTokenBudget': 0,
  'coordination.redisUrl': '',
  'coordination.shareAcrossWindows': true,
  'agent.maxSteps': 25,
  'agent.maxInputTokens': 500_000,
  'agent.allowSecretFiles': false,
  'agent.preapprovedCommands': [],
  'agent.useVsCodeTools': false,
};

/** Defaults keyed by full setting id (`claudePacer.model`, …), as package.json declares them. */
export const SETTING_DEFAULTS: Readonly<Record<string, unknown>> = Object.fromEntries(
  Object.entries(DEFAULT_SETTINGS).map(([k, v]) => [`${SETTINGS_SECTION}.${k}`, v]),
);

/** The default API endpoint when `baseUrl` is empty. */
export const DEFAULT_BASE_URL = 'https://api.anthropic.com';

function num(value: unknown, fallback: number, min: number, max: number, isInteger = true): number {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim() !== ''
        ? Number(value)
        : Number.NaN;
  if (!Number.isFinite(n)) return fallback;
  const clamped = Math.min(max, Math.max(min, n));
  return isInteger ? Math.round(clamped) : clamped;
}

function optionalLimit(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = num(value, Number.NaN, 1, 1e12);
  return Number.isFinite(n) ? n : null;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value)
    ? (value as T)
    : fallback;
}

function text(value: unknown, fallback: string, maxLength = 200): string {
  return typeof value === 'string' && value.length <= maxLength ? value.trim() : fallback;
}

function modelId(value: unknown, fallback: string): string {
  const model = text(value, fallback, 100);
  return /^[\w.:@/-]+$/.test(model) ? model : fallback;
}

/** A `redis://` or `rediss://` URL with a host and no password (a secret has no place in settings.json), else ''. */
function redisUrl(value: unknown): string {
  const raw = text(value, '', 2000);
  if (!URL.canParse(raw)) return '';
  const url = new URL(raw);
  const isRedis = url.protocol === 'redis:' || url.protocol === 'rediss:';
  return isRedis && url.hostname !== '' && url.password === '' ? raw : '';
}

/** Language id → boolean entries only (ids as VS Code spells them, or `*`), at most 200. */
function languageSwitches(value: unknown): Readonly<Record<string, boolean>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const entries = Object.entries(value as Record<string, unknown>).filter(
    (e): e is [string, boolean] => typeof e[1] === 'boolean' && /^(\*|[\w.+#-]{1,64})$/.test(e[0]),
  );
  return Object.fromEntries(entries.slice(0, 200));
}

/** Non-empty trimmed strings of at most 200 characters, at most 100 of them; anything else is dropped. */
function commandPrefixes(value: unknown): readonly string[] {
  if (!Array.isArray(value)) return [];
  const prefixes = value
    .filter((v): v is string => typeof v === 'string' && v.length <= 200)
    .map((v) => v.trim())
    .filter((v) => v !== '');
  return prefixes.slice(0, 100);
}

/**
 * Coerces raw configuration values (anything a user can type into settings.json) into valid
 * settings: wrong types fall back to the default, numbers are clamped to their documented range.
 */
export function normalizeSettings(read: (key: keyof PacerSettings) => unknown): PacerSettings {
  const d = DEFAULT_SETTINGS;
  const lane = (k: keyof PacerSettings, fallback: Lane): Lane => oneOf(read(k), LANES, fallback);
  const completions = (
    k: 'debounceMs' | 'maxTokens' | 'maxPrefixChars' | 'maxSuffixChars' | 'dailyTokenBudget',
    min: number,
    max: number,
  ): number => num(read(`inlineCompletions.${k}`), d[`inlineCompletions.${k}`], min, max);
  return {
    model: modelId(read('model'), d.model),
    maxOutputTokens: num(read('maxOutputTokens'), d.maxOutputTokens, 1, 128_000),
    baseUrl: text(read('baseUrl'), d.baseUrl, 2000),
    allowInsecureBaseUrl: read('allowInsecureBaseUrl') === true,
    'limits.tier': oneOf<'learn' | TierPreset>(
      read('limits.tier'),
      ['learn', ...(Object.keys(TIER_PRESETS) as TierPreset[])],
      d['limits.tier'],
    ),
    'limits.requestsPerMinute': optionalLimit(read('limits.requestsPerMinute')),
    'limits.inputTokensPerMinute': optionalLimit(read('limits.inputTokensPerMinute')),
    'limits.outputTokensPerMinute': optionalLimit(read('limits.outputTokensPerMinute')),
    headroomPercent: num(read('headroomPercent'), d.headroomPercent, 0, 90),
    'priority.chat': lane('priority.chat', d['priority.chat']),
    'priority.palette': lane('priority.palette', d['priority.palette']),
    'priority.editorCommands': lane('priority.editorCommands', d['priority.editorCommands']),
    'priority.background': lane('priority.background', d['priority.background']),
    'priority.languageModels': lane('priority.languageModels', d['priority.languageModels']),
    backgroundBudgetPercent: num(read('backgroundBudgetPercent'), d.backgroundBudgetPercent, 5, 100),
    'retry.baseDelayMs': num(read('retry.baseDelayMs'), d['retry.baseDelayMs'], 50, 60_000),
    'retry.maxDelayMs': num(read('retry.maxDelayMs'), d['retry.maxDelayMs'], 100, 600_000),
    'retry.maxAttempts': num(read('retry.maxAttempts'), d['retry.maxAttempts'], 1, 20),
    maxWaitSeconds: num(read('maxWaitSeconds'), d.maxWaitSeconds, 1, 3600),
    fallbackModel: /^[\w.:@/-]*$/.test(text(read('fallbackModel'), '', 100))
      ? text(read('fallbackModel'), '', 100)
      : '',
    fallbackAfterOverloads: num(read('fallbackAfterOverloads'), d.fallbackAfterOverloads, 1, 20),
    maxRequestsInFlight: num(read('maxRequestsInFlight'), d.maxRequestsInFlight, 1, 64),
    otpmRegime: oneOf(read('otpmRegime'), ['realtime', 'legacy'] as const, d.otpmRegime),
    exactTokenCounts: read('exactTokenCounts') === true,
    requestTimeoutSeconds: num(read('requestTimeoutSeconds'), d.requestTimeoutSeconds, 5, 600),
    'trace.logPromptBodies': read('trace.logPromptBodies') === true,
    'inlineCompletions.enabled': read('inlineCompletions.enabled') === true,
    'inlineCompletions.languages': languageSwitches(read('inlineCompletions.languages')),
    'inlineCompletions.model': modelId(read('inlineCompletions.model'), d['inlineCompletions.model']),
    'inlineCompletions.debounceMs': completions('debounceMs', 0, 5000),
    'inlineCompletions.maxTokens': completions('maxTokens', 8, 512),
    'inlineCompletions.maxPrefixChars': completions('maxPrefixChars', 200, 50_000),
    'inlineCompletions.maxSuffixChars': completions('maxSuffixChars', 0, 20_000),
    'inlineCompletions.dailyTokenBudget': completions('dailyTokenBudget', 0, 1_000_000_000),
    'coordination.redisUrl': redisUrl(read('coordination.redisUrl')),
    // Only an explicit false turns it off: a mistyped value keeps the default.
    'coordination.shareAcrossWindows': read('coordination.shareAcrossWindows') !== false,
    'agent.maxSteps': num(read('agent.maxSteps'), d['agent.maxSteps'], 1, 200),
    'agent.maxInputTokens': num(read('agent.maxInputTokens'), d['agent.maxInputTokens'], 1_000, 100_000_000),
    'agent.allowSecretFiles': read('agent.allowSecretFiles') === true,
    'agent.preapprovedCommands': commandPrefixes(read('agent.preapprovedCommands')),
    'agent.useVsCodeTools': read('agent.useVsCodeTools') === true,
  };
}

/** Configured limits: the tier preset, overridden per dimension by explicit numbers. */
export function configuredLimits(settings: PacerSettings): Limits {
  const preset: Limits = settings['limits.tier'] === 'learn' ? {} : TIER_PRESETS[settings['limits.tier']];
  const pick = (explicit: number | null, fromPreset: number | undefined): number | undefined =>
    explicit ?? fromPreset;
  const requests = pick(settings['limits.requestsPerMinute'], preset.requests);
  const inputTokens = pick(settings['limits.inputTokensPerMinute'], preset.inputTokens);
  const outputTokens = pick(settings['limits.outputTokensPerMinute'], preset.outputTokens);
  return {
    ...(requests !== undefined ? { requests } : {}),
    ...(inputTokens !== undefined ? { inputTokens } : {}),
    ...(outputTokens !== undefined ? { outputTokens } : {}),
  };
}

/** The scheduler options these settings imply. */
export function schedulerOptionsFrom(settings: PacerSettings): SchedulerOptions {
  const baseDelayMs = settings['retry.baseDelayMs'];
  return {
    maxInFlight: settings.maxRequestsInFlight,
    backoff: {
      baseDelayMs,
      maxDelayMs: Math.max(baseDelayMs, settings['retry.maxDelayMs']),
      maxAttempts: settings['retry.maxAttempts'],
    },
    limits: { '*': configuredLimits(settings) },
    headroomShare: settings.headroomPercent / 100,
    backgroundBudgetShare: settings.backgroundBudgetPercent / 100,
    agingStepMs: 30_000,
    probeFirst: true,
    otpmRegime: settings.otpmRegime,
    ...(settings.fallbackModel ? { fallbackModel: settings.fallbackModel } : {}),
    fallbackAfterOverloads: settings.fallbackAfterOverloads,
    maxRateLimitRetries: 8,
    leaseTimeoutMs: 2_000,
  };
}
