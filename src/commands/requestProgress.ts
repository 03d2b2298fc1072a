import * as vscode from 'vscode';
import type { RequestResult, SubmitOptions } from '../pacer/index';
import { formatCountdown } from '../status/model/statusPresentation';
import { describeProgress } from '../status/model/waitDescription';
import { waitCauseText } from '../status/model/waitCauseText';
import { abortOnCancel } from '../service/cancellation';
import type { PacerService } from '../service/pacerService';

/** How often the progress notification refreshes its countdown while a request is pending. */
const REFRESH_MS = 1000;

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
      const cancel = abortOnCancel(token);
      const handle = service.submit({
        ...options,
        signal: cancel.signal,
        maxWaitMs: service.settings.maxWaitSeconds * 1000,
      });
      let last = '';
      const refresh = (): void => {
        const text = describeProgress(handle.progress(), Date.now(), vscode.l10n.t);
        if (text !== last) progress.report({ message: text });
        last = text;
      };
      refresh();
      const timer = setInterval(refresh, REFRESH_MS);
      const offChange = service.scheduler.onChange(refresh);
      const offLongWait = service.scheduler.onLongWait((event) => {
        if (event.requestId !== handle.id) return;
        const fallback = service.settings.fallbackModel;
        const keepWaiting = vscode.l10n.t('Keep Waiting');
        const cancelRequest = vscode.l10n.t('Cancel');
        const choices = [
          keepWaiting,
          ...(fallback && fallback !== options.request.model ? [vscode.l10n.t('Use {0}', fallback)] : []),
          cancelRequest,
        ];
        void vscode.window
          .showWarningMessage(
            vscode.l10n.t(
              'Claude: "{0}" would start in {1} (waiting for {2}).',
              title,
              formatCountdown(event.estimatedStartMs, Date.now()),
              waitCauseText(event.waitingFor, vscode.l10n.t),
            ),
            ...choices,
          )
          .then((choice) => {
            if (choice === keepWaiting) handle.keepWaiting();
            else if (choice === cancelRequest) handle.cancel();
            else if (choice && fallback) handle.switchModel(fallback);
          });
      });
      try {
        return await handle.result;
      } finally {
        clearInterval(timer);
        offChange();
        offLongWait();
        cancel.dispose();
      }
    },
  );
}
