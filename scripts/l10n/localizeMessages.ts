/**
 * The messages pure models pass to their injected `Localize` (src/status/model/localize.ts), which
 * `@vscode/l10n-dev` cannot see: it only reads `vscode.l10n.t` / `l10n.t` in files importing
 * `vscode` or `@vscode/l10n`. A call counts when the TypeScript checker says its callee's type is
 * `Localize`, whatever the callee is named (`t`, `localize`, `this.#t`, a contextually typed
 * `(t) => t('…')`).
 */
import ts from 'typescript';

/** The file, relative to src/'s parent, that declares the `Localize` type. */
const LOCALIZE_FILE = 'src/status/model/localize.ts';
const LOCALIZE_TYPE = 'Localize';

/** What {@link localizeMessages} found: each literal message once, and the calls it could not read. */
export interface LocalizeMessages {
  /** Literal first arguments, in source order, each once. */
  readonly messages: readonly string[];
  /** `file:line: …` for each `Localize` call whose first argument is not a string literal. */
  readonly problems: readonly string[];
}

const OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ['lib.es2022.d.ts'],
  types: [],
  strict: true,
  noEmit: true,
  skipLibCheck: true,
};

/**
 * `Localize` is a type of src/, so only src/'s own (relative) imports are resolved: a package's
 * declarations cannot give a value that type, and not parsing them (the SDK, `vscode`, Node) keeps
 * a run about a second, which the unit tier runs on every change.
 */
function compilerHost(): ts.CompilerHost {
  const host = ts.createCompilerHost(OPTIONS);
  host.resolveModuleNameLiterals = (literals, containingFile) =>
    literals.map((literal) =>
      literal.text.startsWith('.')
        ? ts.resolveModuleName(literal.text, containingFile, OPTIONS, host)
        : { resolvedModule: undefined },
    );
  return host;
}

/** True when `type` is callable through the signature written in `Localize`'s declaration. */
function isLocalize(type: ts.Type): boolean {
  return type.getCallSignatures().some((signature) => {
    const declaration = signature.getDeclaration() as ts.SignatureDeclaration | undefined;
    const alias = declaration?.parent;
    return (
      alias !== undefined &&
      ts.isTypeAliasDeclaration(alias) &&
      alias.name.text === LOCALIZE_TYPE &&
      alias.getSourceFile().fileName.endsWith(LOCALIZE_FILE)
    );
  });
}

function where(call: ts.CallExpression, relativeTo: string): string {
  const file = call.getSourceFile();
  const { line } = file.getLineAndCharacterOfPosition(call.getStart());
  return `${file.fileName.slice(relativeTo.length + 1)}:${line + 1}`;
}

/** The messages of every `Localize` call in `files` (absolute paths under `root`), and the unreadable calls. */
export function localizeMessages(files: readonly string[], root: string): LocalizeMessages {
  const program = ts.createProgram({ rootNames: files, options: OPTIONS, host: compilerHost() });
  const checker = program.getTypeChecker();
  const messages = new Set<string>();
  const problems: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && isLocalize(checker.getTypeAtLocation(node.expression))) {
      const [first] = node.arguments;
      if (first !== undefined && ts.isStringLiteralLike(first)) messages.add(first.text);
      else
        problems.push(
          `${where(node, root)}: the message passed to a Localize must be a string literal, or npm run l10n cannot list it: ${node.getText()}`,
        );
    }
    ts.forEachChild(node, visit);
  };
  const roots = new Set(files);
  for (const file of program.getSourceFiles()) if (roots.has(file.fileName)) visit(file);
  return { messages: [...messages], problems };
}
