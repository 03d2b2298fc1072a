import * as vscode from 'vscode';
import { DEFAULT_BASE_URL } from '../settings/model/settings';
import { EndpointConsent, endpointHost } from './model/endpointConsent';

const APPROVED_HOSTS = 'claudePacer.approvedHosts';
/** Hosts that reach this machine only (0.0.0.0 connects to it too): the tests' own servers. */
const THIS_MACHINE = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\]|0\.0\.0\.0)$/;

/**
 * The consent gate for non-default endpoints, remembered in global state. Pre-approved: Anthropic's
 * own host; the simulator named by `CLAUDE_PACER_BASE_URL` (set by `npm start` and the test launcher,
 * i.e. the user's own environment, which no workspace controls); and, only when VS Code runs the
 * extension's tests, hosts on this machine (the tests' own servers).
 */
export function createEndpointConsent(context: vscode.ExtensionContext): EndpointConsent {
  const launcherHost = endpointHost(process.env['CLAUDE_PACER_BASE_URL'] ?? '');
  const isTest = context.extensionMode === vscode.ExtensionMode.Test;
  return new EndpointConsent({
    now: () => Date.now(),
    store: {
      get: () => {
        const hosts = context.globalState.get<unknown>(APPROVED_HOSTS);
        return Array.isArray(hosts) ? hosts.filter((h): h is string => typeof h === 'string') : [];
      },
      set: (hosts) => context.globalState.update(APPROVED_HOSTS, hosts),
    },
    isPreApproved: (url) =>
      url.host === endpointHost(DEFAULT_BASE_URL) ||
      url.host === launcherHost ||
      (isTest && THIS_MACHINE.test(url.hostname)),
    ask: async (host, origin) => {
      const send = vscode.l10n.t('Send Keys');
      const choice = await vscode.window.showWarningMessage(
        vscode.l10n.t('Send your Claude API keys to {0}?', host),
        {
          modal: true,
          detail: vscode.l10n.t(
            'claudePacer.baseUrl points at {0}. Every request would send your API keys and prompts there. Continue only if you run or trust this endpoint; Claude Pacer remembers your answer for this host.',
            origin,
          ),
        },
        send,
      );
      return choice === send;
    },
  });
}

/** Asks `consent` about `url`, or answers 'cancelled' as soon as `signal` aborts (the question stays for others). */
export async function askUnlessCancelled(
  consent: EndpointConsent,
  url: string,
  signal: AbortSignal | undefined,
): Promise<boolean | 'cancelled'> {
  let onAbort = (): void => {};
  const cancelled = new Promise<'cancelled'>((resolve) => {
    onAbort = () => resolve('cancelled');
    if (signal?.aborted) resolve('cancelled');
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([consent.approve(url), cancelled]);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
