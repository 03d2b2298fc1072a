import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { readFile } from '../../../src/agent/model/readTools';
import {
  checkPathLexically,
  resolveToolPath,
  secretReason,
  type PathPolicy,
} from '../../../src/agent/model/toolPath';
import { MemoryWorkspace, ROOT, toolContext } from './memoryWorkspace';

const policy: PathPolicy = { root: ROOT, allowSecrets: false };

function reasonOf(raw: unknown, p: PathPolicy = policy): string {
  const check = checkPathLexically(raw, p);
  assert.equal(check.ok, false, `${String(raw)} passed`);
  return check.ok ? '' : check.reason;
}

void describe('tool path guard (lexical)', () => {
  void it('resolves relative paths and absolute paths under the root', () => {
    assert.deepEqual(checkPathLexically('src/a.ts', policy), {
      ok: true,
      relative: 'src/a.ts',
      absolute: `${ROOT}/src/a.ts`,
    });
    assert.deepEqual(checkPathLexically('./src//b.ts', policy), {
      ok: true,
      relative: 'src/b.ts',
      absolute: `${ROOT}/src/b.ts`,
    });
    assert.deepEqual(checkPathLexically(`${ROOT}/src/a.ts`, policy), {
      ok: true,
      relative: 'src/a.ts',
      absolute: `${ROOT}/src/a.ts`,
    });
    assert.deepEqual(checkPathLexically('.', policy), { ok: true, relative: '', absolute: ROOT });
    assert.deepEqual(checkPathLexically('src\\c.ts', policy), {
      ok: true,
      relative: 'src/c.ts',
      absolute: `${ROOT}/src/c.ts`,
    });
  });

  void it('refuses "..", absolute paths elsewhere, drive letters, ~, NUL, empty and non-strings', () => {
    assert.match(reasonOf('../outside.txt'), /contains "\.\."/);
    assert.match(reasonOf('src/../../x'), /contains "\.\."/);
    assert.match(reasonOf('src/../a.ts'), /contains "\.\."/);
    assert.match(reasonOf('..\\outside.txt'), /contains "\.\."/);
    assert.match(reasonOf('/etc/passwd'), /outside the workspace/);
    assert.match(reasonOf('/work/ws-other/a.ts'), /outside the workspace/);
    assert.match(reasonOf('C:\\Windows\\win.ini'), /not a workspace path/);
    assert.match(reasonOf('~/.ssh/config'), /not a workspace path/);
    assert.match(reasonOf('a\0b'), /NUL/);
    assert.match(reasonOf(''), /non-empty string/);
    assert.match(reasonOf(42), /non-empty string/);
    assert.match(reasonOf('x'.repeat(2000)), /longer than/);
  });

  void it('refuses secrets files unless allowed, in any letter case', () => {
    for (const secret of [
      '.env',
      '.env.local',
      'config/.ENV.production',
      'certs/server.pem',
      'k/tls.key',
      'id_rsa',
      '.ssh/id_ed25519.pub',
      '.git/config',
      'sub/.git/HEAD',
    ])
      assert.match(reasonOf(secret), /secrets file/, secret);
    assert.equal(checkPathLexically('.env', { root: ROOT, allowSecrets: true }).ok, true);
    for (const ordinary of ['src/environment.ts', 'keys.ts', 'docs/git.md', '.gitignore', 'a.keynote'])
      assert.equal(secretReason(ordinary), undefined, ordinary);
  });
});

void describe('tool path guard (real paths)', () => {
  const workspace = new MemoryWorkspace(
    { 'src/a.ts': 'a', '.env': 'SECRET=1', '/work/outside.txt': 'outside' },
    {
      'src/link.txt': '/work/outside.txt',
      linkdir: '/work',
      'innocent.txt': `${ROOT}/.env`,
      'src/ok.ts': `${ROOT}/src/a.ts`,
    },
  );

  void it('refuses a symlink that leads outside, also for a file to create under a linked folder', async () => {
    const escape = await resolveToolPath('src/link.txt', policy, workspace.realpath);
    assert.equal(escape.ok, false);
    assert.match(escape.ok ? '' : escape.reason, /leads outside the workspace/);
    assert.equal((await resolveToolPath('linkdir/new.txt', policy, workspace.realpath)).ok, false);
  });

  void it('refuses a symlink to a secrets file; allows a link that stays inside and new files', async () => {
    const secret = await resolveToolPath('innocent.txt', policy, workspace.realpath);
    assert.match(secret.ok ? '' : secret.reason, /secrets file/);
    assert.equal((await resolveToolPath('src/ok.ts', policy, workspace.realpath)).ok, true);
    assert.equal((await resolveToolPath('src/new/deep.ts', policy, workspace.realpath)).ok, true);
  });
});

void describe('property: no path outside the root is ever read', () => {
  const segment = fc.constantFrom(
    '..',
    '.',
    '',
    'src',
    'a.ts',
    '.env',
    'id_rsa',
    'link',
    'linkdir',
    'up',
    '~',
    'C:',
    'work',
    'ws',
    'outside.txt',
    '.git',
  );
  const rawPath = fc
    .tuple(
      fc.constantFrom('', '/', '\\', '/work/', `${ROOT}/`),
      fc.array(segment, { maxLength: 6 }),
      fc.constantFrom('/', '\\'),
    )
    .map(([lead, parts, sep]) => lead + parts.join(sep));

  void it('read_file only ever reads real paths inside the root that are not secrets', async () => {
    await fc.assert(
      fc.asyncProperty(rawPath, fc.boolean(), async (raw, asAbsoluteInput) => {
        const workspace = new MemoryWorkspace(
          {
            'src/a.ts': 'inside',
            '.env': 'SECRET',
            id_rsa: 'KEY',
            '/work/outside.txt': 'OUT',
            '/work/ws/.git/config': 'GIT',
          },
          { link: '/work/outside.txt', linkdir: '/work', up: '/', 'src/env': `${ROOT}/.env` },
        );
        const input = asAbsoluteInput && !raw.startsWith('/') ? `${ROOT}/${raw}` : raw;
        const result = await readFile({ path: input }, toolContext(workspace));
        for (const read of workspace.reads) {
          assert.ok(read.startsWith(`${ROOT}/`), `read ${read} for ${JSON.stringify(input)}`);
          assert.equal(secretReason(path.posix.relative(ROOT, read)), undefined, read);
        }
        assert.ok(!/OUT|SECRET|KEY|GIT/.test(result.content) || result.isError, result.content);
      }),
      { numRuns: 500 },
    );
  });
});
