import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

interface Manifest {
  contributes: {
    commands: { command: string; title: string; shortTitle?: string; icon?: unknown }[];
    menus: Record<string, { command: string; when?: string; group?: string }[]>;
  };
}

const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as Manifest;
const nls = JSON.parse(readFileSync('package.nls.json', 'utf8')) as Record<string, string>;

describe("the proposal diff's title bar", () => {
  it('shows Accept and Reject as labelled buttons, not icons alone', () => {
    const inTitle = manifest.contributes.menus['editor/title']!.filter((m) =>
      m.when?.includes('resourceScheme == claude-pacer-proposal'),
    );
    assert.deepEqual(
      inTitle.map((m) => [m.command, m.group]),
      [
        ['claudePacer.acceptProposal', 'navigation@1'],
        ['claudePacer.rejectProposal', 'navigation@2'],
      ],
    );
    const labels = inTitle.map((entry) => {
      const command = manifest.contributes.commands.find((c) => c.command === entry.command);
      // A title-bar entry whose command has an icon shows the icon alone; without one, its (short) title.
      assert.equal(command?.icon, undefined, entry.command);
      return nls[/^%(.+)%$/.exec(command?.shortTitle ?? '')?.[1] ?? ''];
    });
    assert.deepEqual(labels, ['Accept Proposal', 'Reject Proposal']);
  });
});
