/**
 * Where Write Tests proposes its new test file: beside the source, named as the language's common
 * test runner finds it. Pure: works on `/`-separated paths.
 */

/** Naming rule of a language: how a test file is named from the source's stem and extension. */
type Naming = (stem: string, extension: string) => string;

const DOT_TEST: Naming = (stem, extension) => `${stem}.test${extension}`;

const NAMING_BY_LANGUAGE: Readonly<Record<string, Naming>> = {
  python: (stem, extension) => `test_${stem}${extension}`,
  go: (stem, extension) => `${stem}_test${extension}`,
  java: (stem, extension) => `${stem}Test${extension}`,
  kotlin: (stem, extension) => `${stem}Test${extension}`,
  csharp: (stem, extension) => `${stem}Tests${extension}`,
  ruby: (stem, extension) => `${stem}_spec${extension}`,
  rust: (stem, extension) => `${stem}_test${extension}`,
  php: (stem, extension) => `${stem}Test${extension}`,
};

/** Extension assumed for a language when the source has none (an untitled editor). */
const EXTENSION_BY_LANGUAGE: Readonly<Record<string, string>> = {
  typescript: '.ts',
  typescriptreact: '.tsx',
  javascript: '.js',
  javascriptreact: '.jsx',
  python: '.py',
  go: '.go',
  java: '.java',
  kotlin: '.kt',
  csharp: '.cs',
  ruby: '.rb',
  rust: '.rs',
  php: '.php',
};

function splitName(fileName: string): { readonly stem: string; readonly extension: string } {
  const dot = fileName.lastIndexOf('.');
  return dot <= 0
    ? { stem: fileName, extension: '' }
    : { stem: fileName.slice(0, dot), extension: fileName.slice(dot) };
}

/**
 * The test file's path for source `sourcePath` in language `languageId`: `app.ts` → `app.test.ts`,
 * `app.py` → `test_app.py`, `app.go` → `app_test.go`. A source with no extension gets its
 * language's; an empty name becomes `untitled`.
 */
export function testFilePathFor(sourcePath: string, languageId: string): string {
  const slash = sourcePath.lastIndexOf('/');
  const folder = slash >= 0 ? sourcePath.slice(0, slash + 1) : '';
  const parts = splitName(sourcePath.slice(slash + 1));
  const stem = parts.stem.trim() === '' ? 'untitled' : parts.stem;
  const extension = parts.extension !== '' ? parts.extension : (EXTENSION_BY_LANGUAGE[languageId] ?? '.txt');
  const naming = NAMING_BY_LANGUAGE[languageId] ?? DOT_TEST;
  return `${folder}${naming(stem, extension)}`;
}

/** The `n`th alternative when the path is taken (n ≥ 2): `app.test.ts` → `app.test.2.ts`. */
export function numberedPath(path: string, n: number): string {
  if (n < 2) return path;
  const slash = path.lastIndexOf('/');
  const { stem, extension } = splitName(path.slice(slash + 1));
  return `${path.slice(0, slash + 1)}${stem}.${n}${extension}`;
}
