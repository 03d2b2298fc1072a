import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { isWholeRun, mergeJobTimes, readJobTimes } from '../../../scripts/vscode-test/jobTimes';

function tempFile(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'job-times-')), 'vscode-job-times.json');
}

describe('VS Code job times', () => {
  it('keeps the time of a job that ran every test, not of a filtered or empty one', () => {
    const all = { passed: 3, failed: 1, skipped: 0 };
    assert.equal(isWholeRun('ui', all, false), true);
    assert.equal(isWholeRun('ui', all, true), true, 'a grep that matched every check of the file');
    assert.equal(isWholeRun('ui', { passed: 1, failed: 0, skipped: 2 }, true), false, 'part of a file');
    assert.equal(isWholeRun('ui', { passed: 0, failed: 0, skipped: 4 }, true), false, 'a file skipped whole');
    assert.equal(isWholeRun('integration', all, false), true);
    assert.equal(isWholeRun('integration', all, true), false, 'mocha does not count what grep left out');
    assert.equal(isWholeRun('integration', { passed: 0, failed: 0, skipped: 0 }, false), false);
  });

  it('merges into the times already stored, so a filtered run keeps the others', () => {
    const file = tempFile();
    fs.writeFileSync(file, JSON.stringify({ 'UI demo.check.ts': 127_000, 'UI chat.check.ts': 88_000 }));
    mergeJobTimes({ 'UI chat.check.ts': 60_000, 'UI new.check.ts': 9_000 }, file);
    assert.deepEqual(readJobTimes(file), {
      'UI demo.check.ts': 127_000,
      'UI chat.check.ts': 60_000,
      'UI new.check.ts': 9_000,
    });
  });

  it('writes nothing when no job ran whole, and reads a missing or broken file as none', () => {
    const file = tempFile();
    mergeJobTimes({}, file);
    assert.equal(fs.existsSync(file), false);
    assert.deepEqual(readJobTimes(file), {});
    fs.writeFileSync(file, '{ not json');
    assert.deepEqual(readJobTimes(file), {});
    fs.writeFileSync(file, JSON.stringify({ a: 1, b: 'x' }));
    assert.deepEqual(readJobTimes(file), { a: 1 });
  });
});
