import * as vscode from 'vscode';
import manifest from '../../../package.json';

/** `publisher.name` of the extension under test, from the package.json it was built with. */
export const EXTENSION_ID = `${manifest.publisher}.${manifest.name}`;

/** The part of package.json these helpers read. */
interface Contributions {
  readonly commands?: readonly { readonly command: string }[];
  readonly views?: Readonly<Record<string, readonly { readonly id: string }[]>>;
  readonly configuration?: ConfigurationSection | readonly ConfigurationSection[];
}

interface ConfigurationSection {
  readonly properties?: Readonly<Record<string, { readonly default?: unknown }>>;
}

/** The extension under test as the extension host loaded it; throws when it is not loaded. */
export function extensionUnderTest(): vscode.Extension<unknown> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not loaded in this extension host.`);
  return extension;
}

/** Activates the extension under test and returns how long `activate()` took, in milliseconds (0 when already active). */
export async function activateExtension(): Promise<{
  extension: vscode.Extension<unknown>;
  activationMs: number;
  wasActive: boolean;
}> {
  const extension = extensionUnderTest();
  const wasActive = extension.isActive;
  const startedAt = performance.now();
  await extension.activate();
  return { extension, activationMs: performance.now() - startedAt, wasActive };
}

/** Command ids under `contributes.commands` of the loaded manifest. */
export function contributedCommands(extension: vscode.Extension<unknown>): string[] {
  return (contributions(extension).commands ?? []).map((entry) => entry.command);
}

/** Ids of the views under `contributes.views`; the workbench registers `<view id>.focus`, `.open` and more for each. */
export function contributedViews(extension: vscode.Extension<unknown>): string[] {
  return Object.values(contributions(extension).views ?? {}).flatMap((views) => views.map((view) => view.id));
}

/** Setting id → `default` from `contributes.configuration` (an object or an array of sections). */
export function contributedSettingDefaults(extension: vscode.Extension<unknown>): Record<string, unknown> {
  const configuration = contributions(extension).configuration ?? [];
  const sections = (
    Array.isArray(configuration) ? configuration : [configuration]
  ) as readonly ConfigurationSection[];
  const defaults: Record<string, unknown> = {};
  for (const section of sections) {
    for (const [id, schema] of Object.entries(section.properties ?? {})) defaults[id] = schema.default;
  }
  return defaults;
}

function contributions(extension: vscode.Extension<unknown>): Contributions {
  return (extension.packageJSON as { contributes?: Contributions }).contributes ?? {};
}
