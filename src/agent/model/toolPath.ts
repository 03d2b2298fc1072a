import * as path from 'node:path';

/** Where a tool may read: the workspace root (an absolute POSIX path, as a `Uri.path`) and whether secrets are allowed. */
export interface PathPolicy {
  readonly root: string;
  /** Lets tools open secrets files (`.env*`, key files, `.git/`); off unless the user allows them. */
  readonly allowSecrets: boolean;
}

/** A path a tool may use, or why not (one sentence the model can act on). */
export type PathCheck =
  | { readonly ok: true; readonly relative: string; readonly absolute: string }
  | { readonly ok: false; readonly reason: string };

/** Resolves a path to its real location (symlinks followed), or undefined when nothing exists there. */
export type RealPath = (absolutePath: string) => Promise<string | undefined>;

const MAX_PATH_CHARS = 1024;
// Names whose files hold credentials; matched case-insensitively on every segment's name.
const SECRET_NAMES: readonly RegExp[] = [
  /^\.env/,
  /\.pem$/,
  /\.key$/,
  /\.p12$/,
  /\.pfx$/,
  /^id_(rsa|dsa|ecdsa|ed25519)/,
  /^\.git$/,
  /^\.netrc$/,
  /^\.npmrc$/,
];

function refuse(reason: string): PathCheck {
  return { ok: false, reason };
}

function isInside(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(root.endsWith('/') ? root : `${root}/`);
}

/** Why a workspace-relative path names a secrets file, or undefined when it does not. */
export function secretReason(relative: string): string | undefined {
  const segment = relative
    .split('/')
    .find((name) => SECRET_NAMES.some((pattern) => pattern.test(name.toLowerCase())));
  return segment === undefined
    ? undefined
    : `${relative} is a secrets file or folder (${segment}); the user has not allowed tools to open those.`;
}

/**
 * Checks a path from a tool call without touching the disk: a string naming a place inside the
 * root (relative, or absolute under the root), no `..` segment anywhere (even one that would stay
 * inside: a model that writes `..` is probing), no drive letters or `~`, and no secrets file unless
 * allowed. Backslashes count as separators so `..\` cannot slip past.
 */
export function checkPathLexically(raw: unknown, policy: PathPolicy): PathCheck {
  if (typeof raw !== 'string' || raw.trim() === '') return refuse('The path must be a non-empty string.');
  if (raw.length > MAX_PATH_CHARS) return refuse(`The path is longer than ${MAX_PATH_CHARS} characters.`);
  if (raw.includes('\0')) return refuse('The path contains a NUL character.');
  const slashed = raw.trim().replace(/\\/g, '/');
  if (slashed.split('/').includes('..'))
    return refuse(`${raw} contains "..": use a path inside the workspace, relative to its root.`);
  if (/^[a-zA-Z]:/.test(slashed) || slashed.startsWith('~'))
    return refuse(`${raw} is not a workspace path: use a path relative to the workspace root.`);
  const root = path.posix.normalize(policy.root).replace(/(.)\/$/, '$1');
  const absolute = path.posix
    .normalize(slashed.startsWith('/') ? slashed : `${root}/${slashed}`)
    .replace(/(.)\/$/, '$1');
  if (!isInside(root, absolute)) return refuse(`${raw} is outside the workspace.`);
  const relative = path.posix.relative(root, absolute);
  const secret = policy.allowSecrets ? undefined : secretReason(relative);
  if (secret !== undefined) return refuse(secret);
  return { ok: true, relative, absolute };
}

/** The real path of `absolute`, or of its nearest existing ancestor with the missing rest appended (for files to create). */
async function realLocation(absolute: string, realpath: RealPath): Promise<string | undefined> {
  const missing: string[] = [];
  let current = absolute;
  for (;;) {
    const real = await realpath(current);
    if (real !== undefined) return path.posix.join(real, ...missing.reverse());
    const parent = path.posix.dirname(current);
    if (parent === current) return undefined;
    missing.push(path.posix.basename(current));
    current = parent;
  }
}

/**
 * The lexical check, then the same check on where the path really leads: a symlink inside the
 * workspace that points outside it, or at a secrets file, is refused too. `realpath` is injected
 * (fs.promises.realpath in the editor layer) so this stays pure and testable.
 */
export async function resolveToolPath(
  raw: unknown,
  policy: PathPolicy,
  realpath: RealPath,
): Promise<PathCheck> {
  const lexical = checkPathLexically(raw, policy);
  if (!lexical.ok) return lexical;
  const realRoot = await realpath(policy.root);
  const real = await realLocation(lexical.absolute, realpath);
  if (realRoot === undefined || real === undefined || !isInside(realRoot, real))
    return refuse(`${lexical.relative} leads outside the workspace (through a symbolic link).`);
  const secret = policy.allowSecrets ? undefined : secretReason(path.posix.relative(realRoot, real));
  if (secret !== undefined)
    return refuse(
      `${lexical.relative} leads to a secrets file; the user has not allowed tools to open those.`,
    );
  return lexical;
}
