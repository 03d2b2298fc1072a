import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { COMMANDS } from '../../../src/commandIds';

interface Manifest {
  readonly contributes: {
    readonly commands: ReadonlyArray<{ readonly command: string; readonly enablement?: string }>;
    readonly keybindings: ReadonlyArray<{
      readonly command: string;
      readonly key: string;
      readonly when?: string;
    }>;
    readonly submenus: ReadonlyArray<{ readonly id: string; readonly label: string }>;
    readonly menus: Record<
      string,
      ReadonlyArray<{ readonly command?: string; readonly submenu?: string; readonly when?: string }>
    >;
    readonly walkthroughs: ReadonlyArray<{
      readonly steps: ReadonlyArray<{
        readonly id: string;
        readonly description: string;
        readonly media: { readonly markdown?: string };
      }>;
    }>;
  };
}

const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as Manifest;
const nls = JSON.parse(readFileSync('package.nls.json', 'utf8')) as Record<string, string>;
const text = (placeholder: string): string => nls[placeholder.replace(/^%|%$/g, '')] ?? placeholder;
const SELECTION = [
  COMMANDS.explainSelection,
  COMMANDS.fixSelection,
  COMMANDS.refactorSelection,
  COMMANDS.addDocumentation,
  COMMANDS.writeTests,
];

describe('onboarding contributions', () => {
  const c = manifest.contributes;

  it('groups the editor context-menu entries in one "Claude" submenu', () => {
    const context = c.menus['editor/context'] ?? [];
    assert.deepEqual(
      context.map((e) => e.command),
      [undefined],
      "no Claude command directly in the menu, beside VS Code's own Explain / Fix",
    );
    const submenu = c.submenus.find((s) => s.id === context[0]?.submenu);
    assert.equal(text(submenu?.label ?? ''), 'Claude');
    const inside = (c.menus[submenu!.id] ?? []).map((e) => e.command);
    for (const id of SELECTION) assert.ok(inside.includes(id), id);
  });

  it('enables the selection commands only with a selection or some text to act on', () => {
    for (const id of SELECTION) {
      const enablement = c.commands.find((x) => x.command === id)?.enablement ?? '';
      assert.match(enablement, /editorHasSelection/, id);
      assert.match(enablement, /claudePacer\.editorHasText/, id);
    }
  });

  it('binds Ask, Explain, Fix, open chat, Accept and Reject, the proposal keys only in a proposal', () => {
    const bound = new Map(c.keybindings.map((k) => [k.command, k]));
    for (const id of [COMMANDS.ask, COMMANDS.explainSelection, COMMANDS.fixSelection, COMMANDS.focusChat])
      assert.ok(bound.has(id), id);
    for (const id of [COMMANDS.acceptProposal, COMMANDS.rejectProposal])
      assert.match(bound.get(id)?.when ?? '', /resourceScheme == claude-pacer-proposal/, id);
    assert.equal(new Set(c.keybindings.map((k) => k.key)).size, c.keybindings.length, 'no two on one key');
    // Ctrl+Alt+C (Cmd+Alt+C) alone is VS Code's Copy Path outside the editor on Linux and macOS, and
    // toggles case-sensitive search in macOS find widgets: the chords claim it only in the editor.
    for (const k of c.keybindings) assert.match(k.when ?? '', /^editorTextFocus\b/, k.command);
    const contributed = new Set(c.commands.map((x) => x.command));
    for (const k of c.keybindings) assert.ok(contributed.has(k.command), k.command);
  });

  it('walks through key, ask, quota, limits, a selection and inline completions, with shipped media', () => {
    const steps = c.walkthroughs[0]?.steps ?? [];
    assert.deepEqual(
      steps.map((s) => s.id),
      ['key', 'ask', 'quota', 'limits', 'selection', 'inline'],
    );
    const ignore = readFileSync('.vscodeignore', 'utf8');
    for (const step of steps) {
      const media = step.media.markdown ?? '';
      assert.ok(existsSync(media), media);
      assert.match(ignore, /^!media\/walkthrough\/\*\.md$/m);
      assert.match(text(step.description), /\]\(command:/, `${step.id} has a button`);
    }
    assert.match(
      text(steps[5]!.description),
      /command:workbench\.action\.openSettings\?%5B%22claudePacer\.inlineCompletions\.enabled%22%5D/,
    );
  });
});
