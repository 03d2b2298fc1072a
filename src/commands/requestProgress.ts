import * as vscode from 'vscode';
import type { RequestProgress, RequestResult, SubmitOptions } from '../pacer/index';
import { formatCountdown } from '../status/model/statusPresentation';
import type { PacerService } from '../service/pacerService';

/** How often the progress notification refreshes its countdown while a request is pending. */
const REFRESH_MS = 1000;

function describe(handleProgress: RequestProgress): string {
  const now = Date.now();
  if (handleProgress.state === 'in_flight') return 'Claude is answering…';
  if (handleProgress.state === 'done') return 'Done.';
  if (handleProgress.retryAtMs !== undefined && handleProgress.retryAtMs > now) {
    return `Retrying in ${formatCountdown(handleProgress.retryAtMs, now)} (attempt ${handleProgress.attempts + 1})`;
  }
  const position =
    handleProgress.position !== undefined ? `#${handleProgress.position + 1} in queue` : 'queued';
  const start =
    handleProgress.estimatedStartMs !== undefined && handleProgress.estimatedStartMs > now
      ? ` · starts in ${formatCountdown(handleProgress.estimatedStartMs, now)}`
      : '';
  const why = handleProgress.waitingFor && start ? ` (waiting for ${handleProgress.waitingFor})` : '';
  return `${position}${start}${why}`;
}

/**
 * Sends a request through the scheduler with a cancellable progress notification that shows the
 * queue position, estimated start and retry countdown; when the wait passes the configured maximum,
 * asks whether to keep waiting, switch to the fallback model, or cancel.
 */
export function runWithProgress(
  service: PacerService,
  title: string,
  options: Omit<SubmitOptions, 'signal' | 'maxWaitMs'>,
): Thenable<RequestResult> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const cancelSubscription = token.onCancellationRequested(() => controller.abort());
      const handle = service.submit({
        ...options,
        signal: controller.signal,
        maxWaitMs: service.settings.maxWaitSeconds * 1000,
      });
      let last = '';
      const refresh = (): void => {
        const text = describe(handle.progress());
        if (text !== last) progress.report({ message: text });
        last = text;
      };
      refresh();
      const timer = setInterval(refresh, REFRESH_MS);
      const offChange = service.scheduler.onChange(refresh);
      const offLongWait = service.scheduler.onLongWait((event) => {
        if (event.requestId !== handle.id) return;
        const fallback = service.settings.fallbackModel;
        const choices = [
          'Keep Waiting',
          ...(fallback && fallback !== options.request.model ? [`Use ${fallback}`] : []),
          'Cancel',
        ];
        void vscode.window
          .showWarningMessage(
            `Claude: "${title}" would start in ${formatCountdown(event.estimatedStartMs, Date.now())} (waiting for ${event.waitingFor}).`,
            ...choices,
          )
          .then((choice) => {
            if (choice === 'Keep Waiting') handle.keepWaiting();
            else if (choice === 'Cancel') handle.cancel();
            else if (choice && fallback) handle.switchModel(fallback);
          });
      });
      try {
        return await handle.result;
      } finally {
        clearInterval(timer);
        offChange();
        offLongWait();
        cancelSubscription.dispose();
      }
    },
  );
}
