// The settings that choose where keys and prompts go, or what they cost, must be the user's alone:
// VS Code ignores an `application`-scoped setting in workspace, folder and dev-container settings.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

interface Manifest {
  readonly capabilities?: {
    readonly untrustedWorkspaces?: {
      readonly supported?: unknown;
      readonly restrictedConfigurations?: unknown;
    };
    readonly virtualWorkspaces?: { readonly supported?: unknown };
  };
  readonly contributes: {
    readonly configuration: { readonly properties: Record<string, { scope?: string }> };
  };
}

const USER_ONLY = [
  'claudePacer.baseUrl',
  'claudePacer.allowInsecureBaseUrl',
  'claudePacer.trace.logPromptBodies',
  'claudePacer.model',
  'claudePacer.fallbackModel',
  'claudePacer.maxOutputTokens',
  'claudePacer.inlineCompletions.enabled',
  'claudePacer.inlineCompletions.model',
  'claudePacer.inlineCompletions.maxTokens',
  'claudePacer.inlineCompletions.dailyTokenBudget',
  // An agent run's reach: a cloned repository must not pre-approve commands, unlock secrets or add tools.
  'claudePacer.agent.allowSecretFiles',
  'claudePacer.agent.preapprovedCommands',
  'claudePacer.agent.useVsCodeTools',
];

void describe('package.json: who may set what', () => {
  const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as Manifest;

  void it('gives every setting that moves keys, prompts or money application scope', () => {
    for (const id of USER_ONLY)
      assert.equal(manifest.contributes.configuration.properties[id]?.scope, 'application', id);
  });

  void it('declares limited support for untrusted workspaces, restricting exactly those settings, and virtual workspaces', () => {
    const untrusted = manifest.capabilities?.untrustedWorkspaces;
    assert.equal(untrusted?.supported, 'limited');
    assert.deepEqual(untrusted?.restrictedConfigurations, USER_ONLY);
    assert.equal(manifest.capabilities?.virtualWorkspaces?.supported, true);
  });
});
