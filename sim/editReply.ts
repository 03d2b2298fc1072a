import type { EditTask, SelectedCode } from './replyRequest';

interface Comment {
  readonly open: string;
  readonly close: string;
}

const HASH_LANGUAGES = new Set([
  'python',
  'ruby',
  'shellscript',
  'perl',
  'r',
  'yaml',
  'toml',
  'dockerfile',
  'makefile',
  'powershell',
]);
const DASH_LANGUAGES = new Set(['sql', 'lua', 'haskell']);

function commentStyle(languageId: string): Comment {
  if (HASH_LANGUAGES.has(languageId)) return { open: '# ', close: '' };
  if (DASH_LANGUAGES.has(languageId)) return { open: '-- ', close: '' };
  if (['html', 'xml', 'markdown'].includes(languageId)) return { open: '<!-- ', close: ' -->' };
  if (languageId === 'css') return { open: '/* ', close: ' */' };
  return { open: '// ', close: '' };
}

function isPython(languageId: string): boolean {
  return languageId === 'python';
}

/** A fix-like rewrite: what it makes of the code, and the sentence the added comment says. */
interface FixRule {
  readonly rewrite: (text: string) => string;
  readonly says: string;
  readonly languages?: (languageId: string) => boolean;
}

const FIX_RULES: readonly FixRule[] = [
  {
    rewrite: (t) => t.replace(/<=(\s*[\w.]+\.length\b)/g, '<$1'),
    says: 'the loop ran one past the last element (<= length)',
  },
  {
    rewrite: (t) => t.replace(/<=(\s*len\([^)]*\))/g, '<$1'),
    says: 'the loop ran one past the last element (<= len(...))',
  },
  {
    rewrite: (t) =>
      t.replace(/([=!])= None\b/g, (_m, op: string) => (op === '=' ? 'is None' : 'is not None')),
    says: 'compare with None using "is"',
    languages: isPython,
  },
  {
    rewrite: (t) => t.replace(/(?<![=!<>])([=!])=(?!=)/g, '$1=='),
    says: 'loose equality (==) replaced with strict equality (===)',
    languages: (id) => /^(typescript|javascript)(react)?$/.test(id),
  },
];

function leadingSpace(line: string): string {
  return /^\s*/.exec(line)?.[0] ?? '';
}

function firstCodeLine(lines: readonly string[]): string {
  return lines.find((l) => l.trim() !== '') ?? '';
}

function withComment(code: string, languageId: string, sentence: string): string {
  const { open, close } = commentStyle(languageId);
  const lines = code.split('\n');
  return `${leadingSpace(firstCodeLine(lines))}${open}${sentence}${close}\n${code}`;
}

function fix(code: SelectedCode): string {
  let text = code.text;
  const said: string[] = [];
  for (const rule of FIX_RULES) {
    if (rule.languages && !rule.languages(code.languageId)) continue;
    const next = rule.rewrite(text);
    if (next !== text) said.push(rule.says);
    text = next;
  }
  const sentence =
    said.length > 0
      ? `Fixed: ${said.join('; ')}.`
      : 'Checked: the simulator found no bug it knows how to fix here.';
  return withComment(text, code.languageId, sentence);
}

const FUNCTION_TS = /^(\s*)(?:export\s+)?(?:async\s+)?function\s*\*?\s*(\w+)\s*(?:<[^>]*>)?\(([^)]*)\)/;
const FUNCTION_PY = /^(\s*)(?:async\s+)?def\s+(\w+)\s*\(([^)]*)\)/;

function words(name: string): string {
  const spaced = name
    .replace(/_/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .trim();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

function parameterNames(list: string): string[] {
  return list
    .split(',')
    .map((p) => /^\s*(?:\.\.\.)?\*{0,2}(\w+)/.exec(p)?.[1] ?? '')
    .filter((p) => p !== '' && p !== 'self' && p !== 'cls');
}

function documentFunctions(code: SelectedCode): string | undefined {
  const python = isPython(code.languageId);
  const out: string[] = [];
  let documented = 0;
  for (const line of code.text.split('\n')) {
    const match = (python ? FUNCTION_PY : FUNCTION_TS).exec(line);
    if (match && !python) {
      const [, indent = '', name = '', params = ''] = match;
      out.push(`${indent}/**`, `${indent} * ${words(name)}.`);
      for (const p of parameterNames(params))
        out.push(`${indent} * @param ${p} The ${words(p).toLowerCase()}.`);
      out.push(`${indent} */`);
      documented++;
    }
    out.push(line);
    if (match && python && line.trimEnd().endsWith(':')) {
      const [, indent = '', name = ''] = match;
      out.push(`${indent}    """${words(name)}."""`);
      documented++;
    }
  }
  return documented > 0 ? out.join('\n') : undefined;
}

function document(code: SelectedCode): string {
  return (
    documentFunctions(code) ??
    withComment(code.text, code.languageId, 'Documented: what this code does, in one line.')
  );
}

function exportedNames(code: SelectedCode): string[] {
  const pattern = isPython(code.languageId)
    ? /^def\s+([A-Za-z]\w*)/gm
    : /^export\s+(?:async\s+)?function\s+(\w+)/gm;
  return [...code.text.matchAll(pattern)].map((m) => m[1]!);
}

function moduleName(fileName: string): string {
  const base = fileName.split('/').pop() ?? fileName;
  return base.replace(/\.[^.]+$/, '');
}

function tests(code: SelectedCode): string {
  const names = exportedNames(code);
  const module = moduleName(code.fileName);
  if (isPython(code.languageId)) {
    const imported = names.length > 0 ? names : ['main'];
    const cases = imported.map((n) => `def test_${n}_runs():\n    assert callable(${n})\n`);
    return `import pytest\n\nfrom ${module} import ${imported.join(', ')}\n\n\n${cases.join('\n\n')}`;
  }
  const imported = names.length > 0 ? names : ['main'];
  const cases = imported.map(
    (n) => `test('${n} is a function', () => {\n  assert.equal(typeof ${n}, 'function');\n});\n`,
  );
  return `import assert from 'node:assert/strict';\nimport { test } from 'node:test';\nimport { ${imported.join(', ')} } from './${module}';\n\n${cases.join('\n')}`;
}

/** The code an edit command gets back (before fencing): the selection visibly changed, or a test file. */
export function editedCode(task: EditTask, code: SelectedCode, instruction?: string): string {
  switch (task) {
    case 'fix':
      return fix(code);
    case 'refactor':
      return withComment(code.text, code.languageId, `Refactored: ${instruction ?? 'structure improved'}.`);
    case 'document':
      return document(code);
    case 'tests':
      return tests(code);
  }
}
