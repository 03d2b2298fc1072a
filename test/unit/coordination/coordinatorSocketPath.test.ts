// Where the windows of one user meet: a private folder of this user, or a named pipe on Windows.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { coordinatorSocketPath } from '../../../src/coordination/local/coordinatorSocketPath';

const base = mkdtempSync(join(tmpdir(), 'pacer-socket-path-'));

describe('coordinatorSocketPath', () => {
  after(() => rmSync(base, { recursive: true, force: true }));

  it('puts the socket in a folder only this user may open', () => {
    const path = coordinatorSocketPath('linux', base);
    const dir = join(base, `claude-pacer-${userInfo().uid}`);
    assert.equal(path, join(dir, 'budget-v1.sock'));
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.equal(coordinatorSocketPath('linux', base), path, 'the same path every time');
  });

  it('refuses a folder others can open, rather than meet there', () => {
    const other = mkdtempSync(join(base, 'open-'));
    mkdirSync(join(other, `claude-pacer-${userInfo().uid}`));
    chmodSync(join(other, `claude-pacer-${userInfo().uid}`), 0o777);
    assert.throws(() => coordinatorSocketPath('linux', other), /not a private folder/);
  });

  it('names a per-user pipe on Windows, without the user name in it', () => {
    const path = coordinatorSocketPath('win32', base);
    assert.match(path, /^\\\\\.\\pipe\\claude-pacer-[0-9a-f]{16}-budget-v1\.sock$/);
    assert.ok(!path.includes(userInfo().username));
  });
});
