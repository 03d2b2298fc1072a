import * as vscode from 'vscode';
import type { ExternalToolInfo, ExternalToolPort } from './model/externalTools';

/** The tools other extensions registered (vscode.lm.tools, e.g. MCP servers'); none where the editor lacks the API. */
export function registeredLmTools(): ExternalToolInfo[] {
  const tools = (vscode.lm as Partial<typeof vscode.lm> | undefined)?.tools;
  if (!Array.isArray(tools)) return [];
  return tools.map((t: vscode.LanguageModelToolInformation) => ({
    name: t.name,
    description: t.description,
    inputSchema: t.inputSchema,
  }));
}

/** Asks the user to allow exactly this tool call; true only for an explicit "Allow". */
async function confirmed(name: string, input: object): Promise<boolean> {
  const allow = vscode.l10n.t('Allow');
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t('Claude wants to use the tool {0}.', name),
    { modal: true, detail: JSON.stringify(input, null, 2).slice(0, 2_000) },
    allow,
  );
  return answer === allow;
}

/** Invokes a registered tool outside a chat request; the run's signal cancels it. */
export async function invokeLmTool(
  name: string,
  input: object,
  signal: AbortSignal,
): Promise<readonly unknown[]> {
  const source = new vscode.CancellationTokenSource();
  const onAbort = (): void => source.cancel();
  signal.addEventListener('abort', onAbort, { once: true });
  if (signal.aborted) source.cancel();
  try {
    const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }, source.token);
    return result.content;
  } finally {
    signal.removeEventListener('abort', onAbort);
    source.dispose();
  }
}

/** Calls to VS Code's tools: each confirmed by the user, then made through vscode.lm.invokeTool. */
export function vscodeLmToolPort(maxResultChars: number): ExternalToolPort {
  return { confirm: confirmed, invoke: invokeLmTool, maxResultChars };
}
