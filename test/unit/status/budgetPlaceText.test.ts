import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { budgetPlaceText } from '../../../src/status/model/budgetPlaceText';
import { ENGLISH } from '../../../src/status/model/localize';

describe('which budget the window is on', () => {
  it('this window: named in the tooltip and details, nothing added to the status bar', () => {
    const text = budgetPlaceText({ kind: 'local' }, ENGLISH);
    assert.equal(text.statusText, '');
    assert.equal(text.tooltip, 'Budget: this window');
    assert.equal(text.label, 'This window');
    assert.equal(text.isFallback, false);
  });

  it('all windows: how many share it and who keeps it, in the status bar once there are two', () => {
    const keeper = budgetPlaceText({ kind: 'windows', role: 'coordinator', windowCount: 3 }, ENGLISH);
    assert.equal(keeper.statusText, '$(multiple-windows) 3');
    assert.equal(keeper.tooltip, 'Budget: all windows of this machine (3 windows, kept by this window)');
    assert.equal(keeper.description, '3 windows · kept by this window');
    const client = budgetPlaceText({ kind: 'windows', role: 'client', windowCount: 2 }, ENGLISH);
    assert.equal(client.tooltip, 'Budget: all windows of this machine (2 windows, kept by another window)');
    const alone = budgetPlaceText({ kind: 'windows', role: 'coordinator', windowCount: 1 }, ENGLISH);
    assert.equal(alone.statusText, '', 'one window alone shares with nobody');
    assert.match(alone.tooltip, /\(1 window, kept by this window\)/);
  });

  it('while the windows elect a coordinator: paces on its own, without alarming the status bar', () => {
    const text = budgetPlaceText({ kind: 'windows', role: 'electing', windowCount: 1 }, ENGLISH);
    assert.equal(text.statusText, '');
    assert.match(text.tooltip, /until it finds the other windows/);
    assert.equal(text.isFallback, false);
  });

  it('team at a host: the host and the client count, never more of the URL', () => {
    const text = budgetPlaceText(
      { kind: 'redis', host: 'cache.example:6380', isUp: true, clientCount: 4 },
      ENGLISH,
    );
    assert.equal(text.statusText, '$(organization) 4');
    assert.equal(text.tooltip, 'Budget: team at cache\\.example:6380 (4 clients)', 'Markdown-escaped');
    assert.equal(text.label, 'Team at cache.example:6380');
    assert.equal(text.description, '4 clients');
    const first = budgetPlaceText({ kind: 'redis', host: 'h', isUp: true, clientCount: 0 }, ENGLISH);
    assert.equal(first.statusText, '$(organization) 1', 'before its first heartbeat it counts itself');
    assert.equal(first.description, '1 client');
  });

  it('Redis down or slow: "fallback to local pacing" in the status bar until it is back', () => {
    const down = budgetPlaceText(
      { kind: 'redis', host: 'cache.example', isUp: false, clientCount: 4 },
      ENGLISH,
    );
    assert.equal(down.isFallback, true);
    assert.equal(down.statusText, '$(debug-disconnect) fallback to local pacing');
    assert.match(down.tooltip, /does not answer: fallback to local pacing until it is back/);
    assert.match(down.description, /re-joins when it is back/);
    const back = budgetPlaceText(
      { kind: 'redis', host: 'cache.example', isUp: true, clientCount: 4 },
      ENGLISH,
    );
    assert.equal(back.isFallback, false);
    assert.equal(back.statusText, '$(organization) 4', 're-joined: the team is shown again');
  });

  it('goes through Localize for every word it adds', () => {
    const marked = (message: string, ...args: Array<string | number>): string =>
      `«${ENGLISH(message, ...args)}»`;
    const down = budgetPlaceText({ kind: 'redis', host: 'h', isUp: false, clientCount: 1 }, marked);
    assert.equal(down.statusText, '$(debug-disconnect) «fallback to local pacing»');
    assert.match(budgetPlaceText({ kind: 'local' }, marked).label, /^«This window»$/);
  });
});
