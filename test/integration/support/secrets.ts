import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPORT_FILE_ENV } from './reportFile';

/** Part of every simulator key that is public by construction (the fault triggers need it). */
const PUBLIC_PREFIX = 'sk-ant-sim-';
/** Shortest run of a key's characters that counts as a leak. */
const WINDOW = 8;
/** Files larger than this are not scanned (none of ours comes close). */
const MAX_FILE_BYTES = 20 * 1024 * 1024;

/** A fresh simulator key: the public prefix, 28 random characters, then `last4`. */
export function newSecret(last4: string): string {
  const random = randomBytes(32)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, 28);
  return `${PUBLIC_PREFIX}${random}${last4}`;
}

/** Every 8-character run of a key that must never be shown: all but the public prefix and the last four. */
function forbiddenWindows(secret: string): string[] {
  const hidden = secret.slice(0, -4);
  const windows: string[] = [];
  for (let i = Math.max(0, PUBLIC_PREFIX.length - WINDOW + 1); i + WINDOW <= hidden.length; i++)
    windows.push(hidden.slice(i, i + WINDOW));
  return windows;
}

/** Where a text shows part of a key: "<what>: …context…" for each find (empty when clean). */
export function leaksIn(what: string, text: string, secrets: readonly string[]): string[] {
  const found: string[] = [];
  for (const secret of secrets) {
    const hit = forbiddenWindows(secret).find((w) => text.includes(w));
    if (hit === undefined) continue;
    const at = text.indexOf(hit);
    found.push(`${what}: …${text.slice(Math.max(0, at - 40), at + 40).replace(/\s+/g, ' ')}…`);
  }
  return found;
}

/** Leaks in any file under `root` (read as UTF-8 and as UTF-16LE, for browser storage), skipping `skip` paths. */
export function leaksInFiles(
  root: string,
  secrets: readonly string[],
  skip: (file: string) => boolean,
): {
  leaks: string[];
  files: number;
} {
  const leaks: string[] = [];
  let files = 0;
  const walk = (dir: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const file = path.join(dir, entry.name);
      if (skip(file)) continue;
      if (entry.isDirectory()) walk(file);
      else if (entry.isFile()) {
        let bytes: Buffer;
        try {
          if (fs.statSync(file).size > MAX_FILE_BYTES) continue;
          bytes = fs.readFileSync(file);
        } catch {
          continue; // a socket, a lock or a file that went away
        }
        files++;
        leaks.push(
          ...leaksIn(file, bytes.toString('latin1'), secrets),
          ...leaksIn(`${file} (UTF-16)`, bytes.toString('utf16le'), secrets),
        );
      }
    }
  };
  walk(root);
  return { leaks, files };
}

/** The run folder of `npm run test:vscode` (`.tools/run-<pid>/`), from the report file's location. */
export function runFolder(): string | undefined {
  const report = process.env[REPORT_FILE_ENV];
  if (!report) return undefined;
  const root = path.resolve(path.dirname(report), '..');
  return fs.existsSync(path.join(root, 'user-data')) ? root : undefined;
}

/** Log files of this extension under a VS Code logs folder: `<logs>/exthost1/<extension id>/<channel>.log`. */
export function extensionLogFiles(logsRoot: string, extensionId: string): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number): void => {
    if (depth < 0) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file, depth - 1);
      else if (path.basename(dir) === extensionId && entry.name.endsWith('.log')) found.push(file);
    }
  };
  walk(logsRoot, 4);
  return found;
}
