import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { numberedPath, testFilePathFor } from '../../../src/commands/model/testFileName';

void describe('testFilePathFor', () => {
  void it('names the test file beside the source as its language’s runner finds it', () => {
    assert.equal(testFilePathFor('/ws/src/app.ts', 'typescript'), '/ws/src/app.test.ts');
    assert.equal(testFilePathFor('/ws/src/app.jsx', 'javascriptreact'), '/ws/src/app.test.jsx');
    assert.equal(testFilePathFor('/ws/pkg/app.py', 'python'), '/ws/pkg/test_app.py');
    assert.equal(testFilePathFor('/ws/pkg/app.go', 'go'), '/ws/pkg/app_test.go');
    assert.equal(testFilePathFor('/ws/Main.java', 'java'), '/ws/MainTest.java');
  });

  void it('gives a source without extension its language’s, and an unknown language .test', () => {
    assert.equal(testFilePathFor('/ws/Untitled-1', 'typescript'), '/ws/Untitled-1.test.ts');
    assert.equal(testFilePathFor('/ws/notes', 'plaintext'), '/ws/notes.test.txt');
    assert.equal(testFilePathFor('/ws/.hidden', 'zig'), '/ws/.hidden.test.txt');
    assert.equal(testFilePathFor('', 'typescript'), 'untitled.test.ts');
  });

  void it('numbers alternatives when the name is taken', () => {
    assert.equal(numberedPath('/ws/app.test.ts', 1), '/ws/app.test.ts');
    assert.equal(numberedPath('/ws/app.test.ts', 2), '/ws/app.test.2.ts');
    assert.equal(numberedPath('test_app.py', 3), 'test_app.3.py');
  });
});
