import type {
  ClassLimits,
  ModelClassConfig,
  OrganizationConfig,
  SimulatorConfig,
  WorkspaceConfig,
  WorkspaceLimits,
} from './config';

/** Whether `model` matches `pattern` (exact id, or a prefix when the pattern ends in `*`). */
export function modelMatches(pattern: string, model: string): boolean {
  return pattern.endsWith('*') ? model.startsWith(pattern.slice(0, -1)) : model === pattern;
}

/** The class a model belongs to; an unmatched model forms a class of its own, named after it. */
export function resolveModelClass(config: SimulatorConfig, model: string): ModelClassConfig {
  const found = config.modelClasses.find((c) => c.models.some((p) => modelMatches(p, model)));
  return found ?? { id: model, models: [model], countsCacheReads: false, limits: config.unknownModelLimits };
}

/** The class with id `classId` (a configured one, or an unknown model's own class). */
export function modelClassById(config: SimulatorConfig, classId: string): ModelClassConfig {
  return config.modelClasses.find((c) => c.id === classId) ?? resolveModelClass(config, classId);
}

function pick<L>(limits: Readonly<Record<string, Partial<L>>>, classId: string): Partial<L> {
  return { ...limits.default, ...limits[classId] };
}

/** An organization's limits for a class: its own overrides (class, then `default`) over the class table. */
export function organizationLimits(org: OrganizationConfig, cls: ModelClassConfig): ClassLimits {
  return { ...cls.limits, ...pick(org.limits, cls.id) };
}

/** A workspace's own limits for a class; missing limiters mean only the organization's apply. */
export function workspaceLimits(workspace: WorkspaceConfig, classId: string): Partial<WorkspaceLimits> {
  return pick(workspace.limits, classId);
}
