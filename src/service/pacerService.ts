import * as vscode from 'vscode';
import {
  type Attempt,
  type AttemptError,
  type AttemptOutcome,
  type CountTokensOutcome,
  type CountTokensRequest,
  createSystemClock,
  estimateByCharacters,
  type ExactTokenCounter,
  type KeyInfo,
  type MessageRequest,
  type RequestHandle,
  type RequestResult,
  Scheduler,
  type SubmitOptions,
  type TextBlock,
  type ToolUseBlock,
  type Transport,
} from '../pacer/index';
import { DEFAULT_BASE_URL, schedulerOptionsFrom, type PacerSettings } from '../settings/model/settings';
import { askUnlessCancelled } from '../keys/endpointApproval';
import { endpointHost, type EndpointConsent } from '../keys/model/endpointConsent';
import {
  createAnthropicTransport,
  type AnthropicTransport,
  type ModelListOutcome,
} from '../anthropic/anthropicTransport';
import { isBaseUrlSafeForKeys } from '../anthropic/baseUrlSafety';
import type { KeyStore } from '../keys/keyStore';
import type { TeamRedisPassword } from '../keys/teamRedisPassword';
import { RequestWaits } from '../usage/model/requestWaits';
import { demoKeysFromEnvironment, type DemoKey } from './demoKeys';
import type { Logger } from './logger';
import type { AttemptObserver, FinishedRequest } from './serviceEvents';
import { onSettingsChanged, readSettings } from '../settings/configuration';
import { SwitchableSharedBudget } from '../coordination/switchableSharedBudget';
import { exactCounterFor } from './countTokensRequest';

/**
 * The one place requests go through in the extension: owns the scheduler, the SDK transport and the
 * link to stored keys and settings. Features call `submit`; nothing else calls the SDK.
 */
export class PacerService implements vscode.Disposable {
  readonly scheduler: Scheduler;
  readonly keys: KeyStore;
  readonly #logger: Logger;
  readonly #consent: EndpointConsent;
  readonly #transport: AnthropicTransport;
  readonly #demoKeys: DemoKey[];
  readonly #observers = new Set<AttemptObserver>();
  readonly #finished = new Set<(request: FinishedRequest) => void>();
  readonly #waits = new RequestWaits();
  readonly #probes = new Map<string, string>();
  /** Where a probe goes when it is not the endpoint in use (a key checked with Anthropic while on the demo). */
  readonly #probeUrls = new Map<string, string>();
  /** Reply blocks of the latest successful attempt, for requests submitted with `submitForContent`. */
  readonly #content = new Map<string, readonly (TextBlock | ToolUseBlock)[] | undefined>();
  #exactCounter: ExactTokenCounter | undefined;
  readonly #disposables: vscode.Disposable[] = [];
  #settings: PacerSettings;
  #warnedInsecureFor = '';
  readonly #teamPassword: TeamRedisPassword;
  /** The budget this window shares (or not): where it is, for the status bar and the details. */
  readonly sharedBudget: SwitchableSharedBudget;

  /** Wires the pieces; keys and team password must be loaded. `consent` decides which hosts may receive keys. */
  constructor(keys: KeyStore, logger: Logger, consent: EndpointConsent, teamPassword: TeamRedisPassword) {
    this.keys = keys;
    this.#logger = logger;
    this.#consent = consent;
    this.#settings = readSettings();
    this.#demoKeys = demoKeysFromEnvironment();
    this.#transport = createAnthropicTransport({
      baseUrl: (keyId) => this.#probeUrls.get(keyId) ?? this.baseUrl,
      secretFor: (keyId) => this.#secretFor(keyId),
      timeoutMs: this.#settings.requestTimeoutSeconds * 1000,
      currentTimeoutMs: () => this.#settings.requestTimeoutSeconds * 1000,
      logger: { warn: (m) => logger.write('warn', 'sdk', m), error: (m) => logger.write('error', 'sdk', m) },
    });
    const guarded: Transport = { send: (attempt) => this.#send(attempt) };
    this.sharedBudget = new SwitchableSharedBudget((m) => logger.write('info', 'coordination', m));
    this.#teamPassword = teamPassword;
    this.#applyCoordination();
    this.scheduler = new Scheduler({
      clock: createSystemClock(),
      random: Math.random,
      transport: guarded,
      options: schedulerOptionsFrom(this.#settings),
      sharedBudget: this.sharedBudget,
    });
    this.scheduler.onLog((entry) =>
      logger.write(
        entry.level,
        'scheduler',
        entry.requestId ? `${entry.requestId} ${entry.message}` : entry.message,
      ),
    );
    this.#applyKeys();
    this.#applyExactCounts();
    this.#disposables.push(
      keys.onDidChange(() => this.#applyKeys()),
      onSettingsChanged((settings) => this.#applySettings(settings)),
      teamPassword.onDidChange(() => this.#applyCoordination()),
    );
  }

  /** Settings in force. */
  get settings(): PacerSettings {
    return this.#settings;
  }

  /** The endpoint in use: the setting, else the simulator `npm start` started, else Anthropic's. */
  get baseUrl(): string {
    return (
      this.#settings.baseUrl ||
      (this.isDemo ? (process.env['CLAUDE_PACER_BASE_URL'] ?? '') : '') ||
      DEFAULT_BASE_URL
    );
  }

  /** The endpoint stored keys use: the setting (user settings only), else Anthropic's; never the demo simulator. */
  get ownKeysBaseUrl(): string {
    return this.#settings.baseUrl || DEFAULT_BASE_URL;
  }

  /** True when running on the simulator's demo keys (no key stored). */
  get isDemo(): boolean {
    return (
      this.keys.list().length === 0 &&
      this.#demoKeys.length > 0 &&
      Boolean(process.env['CLAUDE_PACER_BASE_URL'])
    );
  }

  /** Keys the scheduler rotates: the stored ones, or the demo keys when none is stored. */
  get activeKeys(): readonly KeyInfo[] {
    return this.isDemo ? this.#demoKeys : this.keys.list();
  }

  /** Queues a request; when trace is on, the prompt is logged. */
  submit(options: SubmitOptions): RequestHandle {
    const submittedAtMs = Date.now();
    const handle = this.scheduler.submit(options);
    this.#waits.submitted(handle.id, submittedAtMs);
    void handle.result.then((result) => {
      const finished: FinishedRequest = {
        requestId: handle.id,
        model: result.status === 'completed' ? result.model : options.request.model,
        waitMs: this.#waits.finished(handle.id, Date.now()),
        ...(result.status === 'completed' ? { keyId: result.keyId } : {}),
      };
      for (const listener of this.#finished) listener(finished);
    });
    if (this.#settings['trace.logPromptBodies']) {
      this.#logger.write('trace', 'prompt', `${handle.id} ${JSON.stringify(options.request.messages)}`);
    }
    return handle;
  }

  /** Like `submit`, and the completed result also carries the reply's blocks (text and tool calls) in order. */
  submitForContent(options: SubmitOptions): {
    readonly handle: RequestHandle;
    readonly result: Promise<RequestResult & { readonly content?: readonly (TextBlock | ToolUseBlock)[] }>;
  } {
    const handle = this.submit(options);
    this.#content.set(handle.id, undefined);
    const result = handle.result.then((r) => {
      const content = this.#content.get(handle.id);
      this.#content.delete(handle.id);
      return r.status === 'completed' && content !== undefined ? { ...r, content } : r;
    });
    return { handle, result };
  }

  /** Input tokens of a request: count_tokens when exact counts are on and it answers, else the estimate. */
  async countInputTokens(request: MessageRequest): Promise<number> {
    return (await this.#exactCounter?.count(request)) ?? estimateByCharacters(request);
  }

  /** The models the first usable key can use (`GET /v1/models`); not paced: it is not a Messages request. */
  listModels(signal?: AbortSignal): Promise<ModelListOutcome> {
    const refusal = this.#insecureRefusal();
    const keyId = this.activeKeys[0]?.id;
    if (refusal || keyId === undefined) {
      const message = refusal ?? 'No API key is stored.';
      return Promise.resolve({
        kind: 'failure',
        error: { kind: refusal ? 'insecure_endpoint' : 'auth', message, midStream: false },
      });
    }
    return this.#transport.listModels(keyId, signal);
  }

  /** One count_tokens call (free, separately limited): verifies a key and reveals its organization. */
  async countTokens(request: CountTokensRequest): Promise<CountTokensOutcome> {
    const refusal = await this.#endpointRefusal(request.signal, this.#probeUrls.get(request.keyId));
    if (refusal) return { kind: 'failure', error: refusal };
    const outcome = await this.#transport.countTokens(request);
    // The answer names the key's organization: its requests then share that budget from the first one.
    if (outcome.headers && !this.#probes.has(request.keyId))
      this.scheduler.learnKeyOrganization(request.keyId, outcome.headers);
    return outcome;
  }

  /**
   * Verifies a secret not stored yet with count_tokens, at the endpoint in use or (`ownKeys`) where
   * stored keys would go: on the demo, the simulator cannot check a real key.
   */
  async verifySecret(
    secret: string,
    endpoint: 'current' | 'ownKeys' = 'current',
  ): Promise<CountTokensOutcome> {
    const probeId = `probe-${Math.random().toString(36).slice(2)}`;
    this.#probes.set(probeId, secret);
    if (endpoint === 'ownKeys') this.#probeUrls.set(probeId, this.ownKeysBaseUrl);
    try {
      return await this.countTokens({
        keyId: probeId,
        model: this.#settings.model,
        messages: [{ role: 'user', content: 'ping' }],
      });
    } finally {
      this.#probes.delete(probeId);
      this.#probeUrls.delete(probeId);
      this.#transport.forgetKey(probeId);
    }
  }

  /** Subscribes to finished requests. */
  onRequestFinished(listener: (request: FinishedRequest) => void): vscode.Disposable {
    this.#finished.add(listener);
    return new vscode.Disposable(() => this.#finished.delete(listener));
  }

  /** Subscribes to every attempt's outcome. */
  observeAttempts(observer: AttemptObserver): vscode.Disposable {
    this.#observers.add(observer);
    return new vscode.Disposable(() => this.#observers.delete(observer));
  }

  #secretFor(keyId: string): string | undefined {
    return (
      this.#probes.get(keyId) ??
      this.keys.secretFor(keyId) ??
      this.#demoKeys.find((k) => k.id === keyId)?.secret
    );
  }

  /** Refuses to send keys over plain http to a non-loopback host unless the user allowed it. */
  #insecureRefusal(url = this.baseUrl): string | undefined {
    if (isBaseUrlSafeForKeys(url) || this.#settings.allowInsecureBaseUrl) return undefined;
    return vscode.l10n.t(
      'Claude Pacer will not send your API key over plain http to {0}. Use https, or turn on "claudePacer.allowInsecureBaseUrl" if you really mean it.',
      url,
    );
  }

  /** Why keys may not go to the endpoint: plain http elsewhere, or a host the user did not approve (asked once). */
  async #endpointRefusal(
    signal: AbortSignal | undefined,
    url = this.baseUrl,
  ): Promise<AttemptError | undefined> {
    const insecure = this.#insecureRefusal(url);
    if (insecure) return { kind: 'insecure_endpoint', message: insecure, midStream: false };
    if (this.#consent.isApproved(url)) return undefined;
    const answer = await askUnlessCancelled(this.#consent, url, signal);
    if (answer === 'cancelled')
      return { kind: 'aborted', message: vscode.l10n.t('The request was cancelled.'), midStream: false };
    if (answer) return undefined;
    const message = vscode.l10n.t(
      'You did not approve sending your API keys to {0}, so nothing was sent. Change "claudePacer.baseUrl", or run the request again in a moment to be asked again.',
      endpointHost(url) ?? url,
    );
    return { kind: 'endpoint_not_approved', message, midStream: false };
  }

  async #send(attempt: Attempt): Promise<AttemptOutcome> {
    // The confirmation dialog is time before sending: it counts as waiting, not as the attempt.
    const refusal = await this.#endpointRefusal(attempt.signal);
    this.#waits.attemptStarted(attempt.requestId, Date.now());
    const outcome: AttemptOutcome = refusal
      ? { kind: 'failure', error: refusal, partialText: '' }
      : await this.#transport.send(attempt);
    this.#waits.attemptEnded(attempt.requestId, Date.now());
    if (outcome.kind === 'success' && this.#content.has(attempt.requestId))
      this.#content.set(attempt.requestId, outcome.content);
    for (const observer of this.#observers) {
      try {
        observer(attempt, outcome);
      } catch (error) {
        this.#logger.write('warn', 'usage', `observer failed: ${String(error)}`);
      }
    }
    return outcome;
  }

  #applyKeys(): void {
    const keys = this.activeKeys;
    const ids = new Set(keys.map((k) => k.id));
    this.scheduler.setKeys(keys);
    this.#logger.write(
      'info',
      'keys',
      `${keys.length} key(s) in rotation${this.isDemo ? ' (simulator demo keys)' : ''}`,
    );
    for (const k of this.keys.list()) if (!ids.has(k.id)) this.#transport.forgetKey(k.id);
  }

  /** With "exact token counts" on, each request is counted with count_tokens (paced on its own limit) first. */
  #applyExactCounts(): void {
    this.#exactCounter = this.#settings.exactTokenCounts ? exactCounterFor(this) : undefined;
    this.scheduler.setExactCounter(this.#exactCounter);
  }

  #applySettings(settings: PacerSettings): void {
    this.#settings = settings;
    this.scheduler.configure(schedulerOptionsFrom(settings));
    this.#applyCoordination();
    this.#applyExactCounts();
    this.#logger.write('info', 'settings', 'settings applied');
    const refusal = this.#insecureRefusal();
    if (refusal && this.#warnedInsecureFor !== this.baseUrl) {
      this.#warnedInsecureFor = this.baseUrl;
      void vscode.window.showWarningMessage(refusal);
    }
  }

  /** Redis at the URL setting with the password from SecretStorage, else the windows of this machine, else none. */
  #applyCoordination(): void {
    this.sharedBudget.shareAcrossWindows(this.#settings['coordination.shareAcrossWindows']);
    this.sharedBudget.use(this.#settings['coordination.redisUrl'], this.#teamPassword.value);
  }

  dispose(): void {
    this.scheduler.dispose();
    this.sharedBudget.dispose();
    this.#transport.dispose();
    for (const d of this.#disposables) d.dispose();
  }
}
