import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ENGLISH } from '../../../src/status/model/localize';
import { presentStatus } from '../../../src/status/model/statusPresentation';
import { statusTooltip } from '../../../src/status/model/statusTooltip';
import { requestWaitFrom } from '../../../src/status/model/waitDescription';
import { setup } from '../pacer/schedulerHarness';

const MODEL = 'claude-sonnet-4-6';

describe('status tooltip localization', () => {
  it('sends every text of the hover through the given localize, English otherwise unchanged', () => {
    const { clock, submit, scheduler } = setup({
      limits: { '*': { requests: 1, inputTokens: 1000, outputTokens: 1e6 } },
    });
    submit('command', 100);
    submit('command', 100);
    const snapshot = scheduler.snapshot(MODEL);
    const headWait = snapshot.head ? requestWaitFrom(snapshot.head, clock.now()) : undefined;
    const marked = (message: string, ...args: Array<string | number>): string =>
      `«${ENGLISH(message, ...args)}»`;
    const english = statusTooltip(snapshot, MODEL, headWait, clock.now());
    const tooltip = statusTooltip(snapshot, MODEL, headWait, clock.now(), marked);
    assert.equal(tooltip.replace(/[«»]/g, ''), english);
    assert.match(tooltip, /«\*\*Queue:\*\* «Waiting for .*»»/);
    assert.match(tooltip, /«Queue: 0 interactive, 1 command, 0 background; 1 in flight\.»/);
    assert.match(tooltip, /\| «Input tokens» \|/);
    assert.match(tooltip, /«\*\*Keys\*\*»/);
  });

  it('presentStatus passes its localize on, the no-key texts included', () => {
    const { scheduler } = setup({}, []);
    const upper = (message: string, ...args: Array<string | number>): string =>
      ENGLISH(message.toUpperCase(), ...args);
    const view = presentStatus(scheduler.snapshot(MODEL), MODEL, 0, upper);
    assert.equal(view.text, '$(KEY) ADD CLAUDE KEY');
    assert.equal(view.tooltip, 'CLAUDE PACER: NO API KEY STORED. CLICK TO ADD ONE.');
  });
});
