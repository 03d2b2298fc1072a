import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAnthropicTransport } from '../../../src/anthropic/anthropicTransport';
import { catalogFromModelList } from '../../../src/lmProvider/model/modelCatalog';
import { toMessageRequest } from '../../../src/lmProvider/model/lmRequest';
import { parseSimulatorConfig, startSimulator, type RunningSimulator } from '../../../sim/simulator';
import { ManualClock } from '../../support/manualClock';
import { recordingAttempt } from './wireServer';

const ORG = '7e57c0de-0000-4000-8000-0000000000d1';
const KEY = ['sk-ant-sim', 'wire-tools', 'key1'].join('-');

async function withSim(body: (sim: RunningSimulator) => Promise<void>): Promise<void> {
  const sim = await startSimulator({
    config: parseSimulatorConfig({
      reply: { minOutputTokens: 6, maxOutputTokens: 6, tokensPerSecond: 0 },
      organizations: [{ id: ORG, keys: [KEY] }],
    }),
    clock: new ManualClock(),
    port: 0,
  });
  try {
    await body(sim);
  } finally {
    await sim.close();
  }
}

function transport(sim: RunningSimulator) {
  return createAnthropicTransport({
    baseUrl: sim.url,
    secretFor: (id) => (id === 'k' ? KEY : undefined),
    timeoutMs: 5_000,
  });
}

void describe('the SDK transport with tools, against the simulator', () => {
  void it('sends a mapped provider request with a required tool and returns the tool call in content', async () => {
    await withSim(async (sim) => {
      const request = toMessageRequest(
        [{ role: 'user', parts: [{ kind: 'text', value: 'Weather in Paris?' }] }],
        {
          model: 'claude-sonnet-4-6',
          maxTokens: 200,
          acceptsImages: true,
          isToolRequired: true,
          tools: [
            {
              name: 'get_weather',
              inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
            },
          ],
        },
      );
      const attempt = recordingAttempt({ keyId: 'k', request });
      const outcome = await transport(sim).send(attempt);
      assert.equal(outcome.kind, 'success', JSON.stringify(outcome));
      if (outcome.kind !== 'success') return;
      assert.equal(outcome.stopReason, 'tool_use');
      assert.equal(outcome.text, '');
      assert.equal(outcome.content?.length, 1);
      const call = outcome.content?.[0];
      assert.equal(call?.type, 'tool_use');
      if (call?.type !== 'tool_use') return;
      assert.equal(call.name, 'get_weather');
      assert.deepEqual(call.input, { city: 'sim' });

      const followUp = toMessageRequest(
        [
          { role: 'user', parts: [{ kind: 'text', value: 'Weather in Paris?' }] },
          {
            role: 'assistant',
            parts: [{ kind: 'toolCall', callId: call.id, name: call.name, input: call.input }],
          },
          {
            role: 'user',
            parts: [{ kind: 'toolResult', callId: call.id, content: [{ kind: 'text', value: 'Sunny' }] }],
          },
        ],
        { model: 'claude-sonnet-4-6', maxTokens: 200, acceptsImages: true, tools: [{ name: 'get_weather' }] },
      );
      const final = await transport(sim).send(recordingAttempt({ keyId: 'k', request: followUp }));
      assert.equal(final.kind, 'success', JSON.stringify(final));
      if (final.kind !== 'success') return;
      assert.equal(final.stopReason, 'end_turn');
      assert.ok(final.text.length > 0);
      assert.deepEqual(final.content, [{ type: 'text', text: final.text }]);
    });
  });

  void it('lists the models through GET /v1/models into the catalog, and fails with a classified error for a bad key', async () => {
    await withSim(async (sim) => {
      const listed = await transport(sim).listModels('k');
      assert.equal(listed.kind, 'success');
      if (listed.kind !== 'success') return;
      const catalog = catalogFromModelList(listed.models);
      assert.ok(catalog?.some((m) => m.id === 'claude-opus-5' && m.maxInputTokens === 1_000_000));
      const bad = createAnthropicTransport({
        baseUrl: sim.url,
        secretFor: () => 'sk-ant-sim-unknown-key-zzzz',
        timeoutMs: 5_000,
      });
      const refused = await bad.listModels('k');
      assert.equal(refused.kind, 'failure');
      if (refused.kind === 'failure') {
        assert.equal(refused.error.kind, 'auth');
        assert.equal(
          refused.error.message.includes('sk-ant-sim-unknown-key-zzzz'),
          false,
          'no key in the error',
        );
      }
      const gone = await transport(sim).listModels('removed');
      assert.equal(gone.kind, 'failure');
    });
  });
});
