import type * as vscode from 'vscode';

/** An AbortSignal that follows an editor cancellation token, until disposed. */
export interface TokenAbort extends vscode.Disposable {
  readonly signal: AbortSignal;
}

/** The one bridge from an editor cancellation token to the AbortSignal the scheduler takes; dispose it when the request ends. */
export function abortOnCancel(token: vscode.CancellationToken): TokenAbort {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  const subscription = token.onCancellationRequested(() => controller.abort());
  return {
    signal: controller.signal,
    dispose: () => {
      subscription.dispose();
    },
  };
}
