import {
  configDefaults,
  defaultModelClasses,
  type ClassLimits,
  type CompetitorConfig,
  type LimitsByClass,
  type ModelClassConfig,
  type OrganizationConfig,
  type ReplyConfig,
  type SimulatorConfig,
  type TokenizerConfig,
  type WindowedLimiter,
  type WorkspaceConfig,
  type RealismConfig,
} from './config';
import { parseFaults } from './faultSpec';
import { parseScripts } from './parseScript';
import {
  ConfigError,
  array,
  at,
  boolean,
  number,
  object,
  oneOf,
  optional,
  positive,
  string,
  type RawObject,
} from './validate';

const orgIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const keyPattern = /^sk-ant-sim-[A-Za-z0-9_-]+$/;
const limitFields = ['requestsPerMinute', 'inputTokensPerMinute', 'outputTokensPerMinute'] as const;
// Only a workspace may set a total-token limit (spec §10).
const workspaceLimitFields = [...limitFields, 'totalTokensPerMinute'] as const;
const windowedLimiters: readonly WindowedLimiter[] = ['requests', 'input', 'output', 'tokens'];

function parseLimitFields(
  raw: unknown,
  path: string,
  fields: readonly string[],
  partial: boolean,
): Partial<Record<string, number>> {
  const o = object(raw, path, fields);
  const out: Partial<Record<string, number>> = {};
  for (const field of fields) {
    if (o[field] === undefined && partial) continue;
    out[field] = positive(o[field], at(path, field));
  }
  return out;
}

function parseLimits(raw: unknown, path: string): ClassLimits {
  return parseLimitFields(raw, path, limitFields, false) as Record<(typeof limitFields)[number], number>;
}

function parseLimitsByClass(
  raw: unknown,
  path: string,
  fields: readonly string[] = limitFields,
): LimitsByClass {
  if (raw === undefined) return {};
  const o = object(raw, path, Object.keys(raw as object));
  return Object.fromEntries(
    Object.entries(o).map(([cls, v]) => [cls, parseLimitFields(v, at(path, cls), fields, true)]),
  );
}

function windowSec(raw: unknown, path: string): number {
  return number(raw, path, { min: 0, exclusiveMin: true, max: 60 });
}

function parseLimiterWindows(raw: unknown, path: string): Partial<Record<WindowedLimiter, number>> {
  const o = object(raw, path, windowedLimiters);
  return Object.fromEntries(
    windowedLimiters.filter((l) => o[l] !== undefined).map((l) => [l, windowSec(o[l], at(path, l))]),
  );
}

function parseRealism(raw: unknown, path: string): RealismConfig {
  const d = configDefaults.realism;
  const o = object(raw, path, Object.keys(d));
  return {
    omitOrganizationId: optional(o.omitOrganizationId, d.omitOrganizationId, (v) =>
      boolean(v, at(path, 'omitOrganizationId')),
    ),
    rateLimitWording: optional(o.rateLimitWording, d.rateLimitWording, (v) =>
      oneOf(v, at(path, 'rateLimitWording'), ['named', 'rate_limited', 'error', 'request_tokens'] as const),
    ),
    omitRetryAfter: optional(o.omitRetryAfter, d.omitRetryAfter, (v) =>
      boolean(v, at(path, 'omitRetryAfter')),
    ),
  };
}

function parseKeys(raw: unknown, path: string, seen: Set<string>): string[] {
  return array(raw, path).map((k, i) => {
    const key = string(k, at(path, i), keyPattern, 'a key like "sk-ant-sim-<letters, digits, - or _>"');
    if (seen.has(key)) throw new ConfigError(at(path, i), 'repeats a key already configured');
    seen.add(key);
    return key;
  });
}

function parseWorkspace(raw: unknown, path: string, keys: Set<string>): WorkspaceConfig {
  const o = object(raw, path, ['id', 'keys', 'limits']);
  return {
    id: string(o.id, at(path, 'id')),
    keys: parseKeys(o.keys, at(path, 'keys'), keys),
    limits: parseLimitsByClass(o.limits, at(path, 'limits'), workspaceLimitFields),
  };
}

function parseOrganization(raw: unknown, path: string, keys: Set<string>): OrganizationConfig {
  const o = object(raw, path, ['id', 'keys', 'limits', 'countTokensRequestsPerMinute', 'workspaces']);
  return {
    id: string(o.id, at(path, 'id'), orgIdPattern, 'a UUID like "11111111-2222-4333-8444-555555555555"'),
    keys: parseKeys(o.keys ?? [], at(path, 'keys'), keys),
    limits: parseLimitsByClass(o.limits, at(path, 'limits')),
    countTokensRequestsPerMinute: optional(
      o.countTokensRequestsPerMinute,
      configDefaults.countTokensRequestsPerMinute,
      (v) => positive(v, at(path, 'countTokensRequestsPerMinute')),
    ),
    workspaces: optional(o.workspaces, [], (v) => array(v, at(path, 'workspaces'))).map((w, i) =>
      parseWorkspace(w, at(at(path, 'workspaces'), i), keys),
    ),
  };
}

function parseModelClass(raw: unknown, path: string): ModelClassConfig {
  const o = object(raw, path, ['id', 'models', 'countsCacheReads', 'limits']);
  return {
    id: string(o.id, at(path, 'id')),
    models: array(o.models, at(path, 'models')).map((m, i) => string(m, at(at(path, 'models'), i))),
    countsCacheReads: optional(o.countsCacheReads, false, (v) => boolean(v, at(path, 'countsCacheReads'))),
    limits: parseLimits(o.limits, at(path, 'limits')),
  };
}

function parseTokenizer(raw: unknown, path: string): TokenizerConfig {
  const rule = oneOf(object(raw, path, ['rule', 'charsPerToken', 'tokensPerWord']).rule, at(path, 'rule'), [
    'chars',
    'words',
  ] as const);
  if (rule === 'chars') {
    const o = object(raw, path, ['rule', 'charsPerToken']);
    return {
      rule,
      charsPerToken: optional(o.charsPerToken, 4, (v) => positive(v, at(path, 'charsPerToken'))),
    };
  }
  const o = object(raw, path, ['rule', 'tokensPerWord']);
  return {
    rule,
    tokensPerWord: optional(o.tokensPerWord, 1.3, (v) => positive(v, at(path, 'tokensPerWord'))),
  };
}

function parseReply(raw: unknown, path: string): ReplyConfig {
  const d = configDefaults.reply;
  const o = object(raw ?? {}, path, Object.keys(d));
  const count = (field: Exclude<keyof ReplyConfig, 'style'>, fallback: number, min: number): number =>
    optional(o[field], fallback, (v) =>
      number(v, at(path, field), {
        min,
        integer: field !== 'tokensPerSecond' && field !== 'pingIntervalSec',
      }),
    );
  const reply = {
    minOutputTokens: count('minOutputTokens', d.minOutputTokens, 1),
    maxOutputTokens: count('maxOutputTokens', d.maxOutputTokens, 1),
    tokensPerSecond: count('tokensPerSecond', d.tokensPerSecond, 0),
    pingIntervalSec: optional(o.pingIntervalSec, d.pingIntervalSec, (v) =>
      positive(v, at(path, 'pingIntervalSec')),
    ),
    style: optional(o.style, d.style, (v) => oneOf(v, at(path, 'style'), ['words', 'shaped'] as const)),
  };
  if (reply.maxOutputTokens < reply.minOutputTokens) {
    throw new ConfigError(at(path, 'maxOutputTokens'), 'must be ≥ reply.minOutputTokens');
  }
  return reply;
}

function parseCompetitor(raw: unknown, path: string, orgIds: ReadonlySet<string>): CompetitorConfig {
  const o = object(raw, path, ['organization', 'modelClass', 'share']);
  const organization = string(o.organization, at(path, 'organization'));
  if (!orgIds.has(organization))
    throw new ConfigError(at(path, 'organization'), 'must be the id of a configured organization');
  const s = object(o.share, at(path, 'share'), ['requests', 'input', 'output']);
  const share = (f: 'requests' | 'input' | 'output'): number =>
    optional(s[f], 0, (v) => number(v, at(at(path, 'share'), f), { min: 0, max: 1, exclusiveMax: true }));
  return {
    organization,
    modelClass: string(o.modelClass, at(path, 'modelClass')),
    share: { requests: share('requests'), input: share('input'), output: share('output') },
  };
}

const topFields = [
  'seed',
  'maxBodyBytes',
  'otpmRegime',
  'burstWindowSec',
  'limiterWindowSec',
  'realism',
  'tokenizer',
  'cacheTtlSec',
  'reply',
  'overloaded',
  'modelClasses',
  'unknownModelLimits',
  'organizations',
  'faults',
  'competitors',
  'scripts',
];

/** Validates raw (JSON) config and fills defaults; throws ConfigError naming the offending field path. */
export function parseSimulatorConfig(raw: unknown): SimulatorConfig {
  const o: RawObject = object(raw, '', topFields);
  const keys = new Set<string>();
  const organizations = array(o.organizations, 'organizations').map((org, i) =>
    parseOrganization(org, at('organizations', i), keys),
  );
  if (organizations.length === 0)
    throw new ConfigError('organizations', 'must list at least one organization');
  const orgIds = new Set<string>();
  organizations.forEach((org, i) => {
    if (orgIds.has(org.id))
      throw new ConfigError(at(at('organizations', i), 'id'), 'repeats an organization id');
    orgIds.add(org.id);
  });
  const ov = object(o.overloaded ?? {}, 'overloaded', ['shouldRetry', 'retryAfterSec']);
  return {
    seed: optional(o.seed, configDefaults.seed, (v) => number(v, 'seed', { integer: true })),
    maxBodyBytes: optional(o.maxBodyBytes, configDefaults.maxBodyBytes, (v) =>
      number(v, 'maxBodyBytes', { min: 1, integer: true }),
    ),
    otpmRegime: optional(o.otpmRegime, configDefaults.otpmRegime, (v) =>
      oneOf(v, 'otpmRegime', ['realtime', 'legacy'] as const),
    ),
    burstWindowSec: optional(o.burstWindowSec, configDefaults.burstWindowSec, (v) =>
      windowSec(v, 'burstWindowSec'),
    ),
    limiterWindowSec: optional(o.limiterWindowSec, configDefaults.limiterWindowSec, (v) =>
      parseLimiterWindows(v, 'limiterWindowSec'),
    ),
    realism: parseRealism(o.realism ?? {}, 'realism'),
    tokenizer: optional(o.tokenizer, configDefaults.tokenizer, (v) => parseTokenizer(v, 'tokenizer')),
    cacheTtlSec: optional(o.cacheTtlSec, configDefaults.cacheTtlSec, (v) => positive(v, 'cacheTtlSec')),
    reply: parseReply(o.reply, 'reply'),
    overloaded: {
      shouldRetry: optional(ov.shouldRetry, configDefaults.overloaded.shouldRetry, (v) =>
        v === null ? null : boolean(v, 'overloaded.shouldRetry'),
      ),
      retryAfterSec: optional(ov.retryAfterSec, configDefaults.overloaded.retryAfterSec, (v) =>
        v === null ? null : number(v, 'overloaded.retryAfterSec', { min: 0, integer: true }),
      ),
    },
    modelClasses: optional(o.modelClasses, defaultModelClasses, (v) =>
      array(v, 'modelClasses').map((c, i) => parseModelClass(c, at('modelClasses', i))),
    ),
    unknownModelLimits: optional(o.unknownModelLimits, configDefaults.unknownModelLimits, (v) =>
      parseLimits(v, 'unknownModelLimits'),
    ),
    organizations,
    faults: optional(o.faults, [], (v) => parseFaults(v, 'faults')),
    competitors: optional(o.competitors, [], (v) => array(v, 'competitors')).map((c, i) =>
      parseCompetitor(c, at('competitors', i), orgIds),
    ),
    scripts: optional(o.scripts, [], (v) => parseScripts(v, 'scripts')),
  };
}
