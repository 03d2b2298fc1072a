import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/** The protocol's version is in the name: windows of another version elect a coordinator of their own. */
const SOCKET_NAME = 'budget-v1.sock';

/**
 * Where this user's windows meet: a Unix domain socket in `<tmpdir>/claude-pacer-<uid>/` (created
 * 0700 and refused unless this user owns it), or a named pipe on Windows named after a hash of the
 * user name. Per user and per machine, not per VS Code profile or flavour: the budget belongs to
 * the organization, whichever editor draws on it. Throws when the folder is not safely ours.
 * Synchronous: it runs once per window, on a local folder.
 */
export function coordinatorSocketPath(
  platform: NodeJS.Platform = process.platform,
  baseDir: string = tmpdir(),
): string {
  const user = userInfo();
  if (platform === 'win32') {
    const tag = createHash('sha256').update(user.username).digest('hex').slice(0, 16);
    return `\\\\.\\pipe\\claude-pacer-${tag}-${SOCKET_NAME}`;
  }
  const dir = join(baseDir, `claude-pacer-${user.uid}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stats = lstatSync(dir);
  // Another user could have made the folder first, to listen in our place.
  if (!stats.isDirectory() || stats.uid !== user.uid || (stats.mode & 0o077) !== 0)
    throw new Error(`${dir} is not a private folder of this user`);
  return join(dir, SOCKET_NAME);
}
