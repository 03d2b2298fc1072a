import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

const manifestText = readFileSync('package.json', 'utf8');
const nls = JSON.parse(readFileSync('package.nls.json', 'utf8')) as Record<string, unknown>;

/** Every `%key%` placeholder in the manifest's string values. */
function placeholders(value: unknown, found = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    const match = /^%([^%\s]+)%$/.exec(value);
    if (match) found.add(match[1]!);
  } else if (Array.isArray(value)) for (const v of value) placeholders(v, found);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) placeholders(v, found);
  return found;
}

describe('package.nls.json', () => {
  const used = placeholders(JSON.parse(manifestText));

  it('has an entry for every %key% in package.json', () => {
    assert.ok(used.size > 50, `only ${used.size} placeholders`);
    assert.deepEqual(
      [...used].filter((k) => !(k in nls)),
      [],
    );
  });

  it('has no entry package.json does not use, and only non-empty strings', () => {
    assert.deepEqual(
      Object.keys(nls).filter((k) => !used.has(k)),
      [],
    );
    for (const [key, text] of Object.entries(nls))
      assert.ok(typeof text === 'string' && text.trim() !== '', key);
  });

  it('leaves no user-facing manifest text untranslated', () => {
    const manifest = JSON.parse(manifestText) as {
      contributes: {
        commands: Array<{ title: string }>;
        configuration: {
          properties: Record<string, { markdownDescription?: string; enumDescriptions?: string[] }>;
        };
        walkthroughs: Array<{
          title: string;
          description: string;
          steps: Array<{ title: string; description: string }>;
        }>;
        submenus: Array<{ label: string }>;
        views: Record<string, Array<{ name: string }>>;
      };
    };
    const c = manifest.contributes;
    const texts = [
      ...c.commands.map((x) => x.title),
      ...Object.values(c.configuration.properties).flatMap((p) => [
        ...(p.markdownDescription !== undefined ? [p.markdownDescription] : []),
        ...(p.enumDescriptions ?? []),
      ]),
      ...c.walkthroughs.flatMap((w) => [
        w.title,
        w.description,
        ...w.steps.flatMap((s) => [s.title, s.description]),
      ]),
      ...c.submenus.map((s) => s.label),
      ...Object.values(c.views).flatMap((vs) => vs.map((v) => v.name)),
    ];
    assert.deepEqual(
      texts.filter((t) => !/^%[^%\s]+%$/.test(t)),
      [],
    );
  });
});
