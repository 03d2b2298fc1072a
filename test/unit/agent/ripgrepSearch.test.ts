import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  enabledExcludes,
  parseRipgrepLine,
  ripgrepArgs,
  ripgrepCandidates,
} from '../../../src/agent/model/ripgrepSearch';

void describe('ripgrep search', () => {
  void it('passes the query after --regexp (never as an option), fixed unless a regex, with globs and excludes', () => {
    assert.deepEqual(
      ripgrepArgs({ query: '--files', isRegex: false, glob: 'src/**' }, '/ws', ['**/node_modules']),
      [
        '--json',
        '--no-require-git',
        '--max-columns',
        '300',
        '--max-columns-preview',
        '--max-filesize',
        '1M',
        '--fixed-strings',
        '--glob',
        'src/**',
        '--glob',
        '!**/node_modules',
        '--regexp',
        '--files',
        '--',
        '/ws',
      ],
    );
    assert.ok(!ripgrepArgs({ query: 'a.*b', isRegex: true }, '/ws', []).includes('--fixed-strings'));
  });

  void it('reads matches from --json output and skips everything else', () => {
    const match = JSON.stringify({
      type: 'match',
      data: {
        path: { text: '/ws/src/a.ts' },
        lines: { text: 'export function greet() {}\r\n' },
        line_number: 3,
      },
    });
    assert.deepEqual(parseRipgrepLine(match), {
      absolutePath: '/ws/src/a.ts',
      line: 3,
      text: 'export function greet() {}',
    });
    assert.equal(
      parseRipgrepLine(JSON.stringify({ type: 'begin', data: { path: { text: '/ws/a' } } })),
      undefined,
    );
    assert.equal(
      parseRipgrepLine(
        JSON.stringify({
          type: 'match',
          data: { path: { bytes: 'AAE=' }, lines: { text: 'x' }, line_number: 1 },
        }),
      ),
      undefined,
    );
    assert.equal(parseRipgrepLine('not json'), undefined);
    assert.equal(parseRipgrepLine('null'), undefined);
  });

  void it('takes the files.exclude globs that are on, and knows where VS Code and code-server keep rg', () => {
    assert.deepEqual(
      enabledExcludes({ '**/.git': true, '**/dist': false, '**/*.js': { when: '$(basename).ts' } }),
      ['**/.git', '**/*.js'],
    );
    assert.deepEqual(enabledExcludes(undefined), []);
    const candidates = ripgrepCandidates('/app', 'linux', 'x64');
    assert.equal(candidates[0], '/app/node_modules/@vscode/ripgrep/bin/rg');
    assert.ok(candidates.includes('/app/node_modules/@vscode/ripgrep-universal/bin/linux-x64/rg'));
  });
});
