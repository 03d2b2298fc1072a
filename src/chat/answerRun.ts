import type { ChatRequestPlan } from './model/chatRequest';
import type { WaitBanner } from './model/chatProtocol';
import { waitBannerFrom } from './model/chatWait';
import type { RequestHandle, RequestResult } from '../pacer/index';
import type { PacerService } from '../service/pacerService';
import type { Localize } from '../status/model/localize';

/** How often a waiting answer's wait is described again. */
const WAIT_REFRESH_MS = 1_000;

/** What an answer run sends and where its text goes. */
export interface AnswerRunOptions {
  readonly plan: ChatRequestPlan;
  /** Names the request in the log and the details view: "Chat", "@claude". */
  readonly label: string;
  readonly onText: (delta: string) => void;
}

/**
 * One chat answer through the scheduler, sent the same way by the chat view and `@claude`: on the
 * chat lane with the configured maximum wait; while it runs its wait is described again every
 * second and when it turns long; its timer and subscriptions are released when it ends.
 */
export class AnswerRun {
  readonly handle: RequestHandle;
  readonly #service: PacerService;
  readonly #abort = new AbortController();
  #isLong = false;

  /** Submits the request. */
  constructor(service: PacerService, options: AnswerRunOptions) {
    this.#service = service;
    const settings = service.settings;
    this.handle = service.submit({
      request: options.plan.request,
      lane: settings['priority.chat'],
      signal: this.#abort.signal,
      maxWaitMs: settings.maxWaitSeconds * 1000,
      label: options.label,
      inputTokens: options.plan.countedInputTokens,
      onText: options.onText,
    });
  }

  /** True once the scheduler said this answer's wait passed the maximum. */
  get isLong(): boolean {
    return this.#isLong;
  }

  /** Cancels the answer, queued or streaming; it then ends as cancelled. */
  stop(): void {
    this.#abort.abort();
  }

  /**
   * The banner for the answer's wait now (worded with `t`), or undefined when there is nothing to
   * wait for; it offers to switch to `switchTo` (default: the configured fallback model).
   */
  waitBanner(
    messageId: string,
    nowMs: number,
    t: Localize,
    switchTo = this.#service.settings.fallbackModel,
  ): WaitBanner | undefined {
    return waitBannerFrom(
      this.handle.progress(),
      { messageId, nowMs, fallbackModel: switchTo, isLong: this.#isLong },
      t,
    );
  }

  /** Calls `onWait` now, every second and when the wait turns long, until the answer ends; resolves with its result. */
  async settled(onWait: () => void): Promise<RequestResult> {
    const offLongWait = this.#service.scheduler.onLongWait((event) => {
      if (event.requestId !== this.handle.id) return;
      this.#isLong = true;
      onWait();
    });
    const timer = setInterval(onWait, WAIT_REFRESH_MS);
    onWait();
    try {
      return await this.handle.result;
    } finally {
      clearInterval(timer);
      offLongWait();
    }
  }
}
