import type { ContentBlock, MessageRequest } from '../transport';

/** Estimates a request's input tokens before it is sent. */
export type InputTokenEstimator = (request: MessageRequest) => number;

/** Characters per token of the default estimator. */
const DEFAULT_CHARS_PER_TOKEN = 4;
/** Framing tokens per message the API adds around the text (role markers). */
const TOKENS_PER_MESSAGE = 4;
/**
 * Tokens estimated per image: the API's rule (width × height / 750) tops out near
 * 1,600 tokens for the largest image it keeps unscaled, and an estimate must not undercount.
 */
export const IMAGE_TOKEN_ESTIMATE = 1600;

function textLength(content: string | readonly ContentBlock[] | undefined): number {
  if (content === undefined) return 0;
  if (typeof content === 'string') return content.length;
  let total = 0;
  for (const block of content) total += blockLength(block);
  return total;
}

function blockLength(block: ContentBlock): number {
  switch (block.type) {
    case 'text':
      return block.text.length;
    case 'image':
      return IMAGE_TOKEN_ESTIMATE * DEFAULT_CHARS_PER_TOKEN;
    case 'tool_use':
      return block.name.length + JSON.stringify(block.input).length;
    case 'tool_result':
      return textLength(block.content);
  }
}

/** The default estimator: characters / 4, plus a little per message for framing. */
export const estimateByCharacters: InputTokenEstimator = (request) => {
  let chars = textLength(request.system);
  for (const message of request.messages) chars += textLength(message.content);
  for (const tool of request.tools ?? [])
    chars += tool.name.length + (tool.description?.length ?? 0) + JSON.stringify(tool.input_schema).length;
  return Math.ceil(chars / DEFAULT_CHARS_PER_TOKEN) + TOKENS_PER_MESSAGE * (request.messages.length + 1);
};

/** Weight of the newest observation in the running ratios. */
const LEARNING_RATE = 0.3;

/**
 * Corrects a base estimator per model class from what the server reports: the ratio of counted
 * to estimated input tokens, and the typical output length (for real-time OTPM reservations).
 */
export class LearningEstimator {
  readonly #base: InputTokenEstimator;
  #inputRatio = new Map<string, number>();
  #outputMean = new Map<string, number>();

  /** Wraps `base` (default: characters / 4). */
  constructor(base: InputTokenEstimator = estimateByCharacters) {
    this.#base = base;
  }

  /** The uncorrected estimate. */
  rawInput(request: MessageRequest): number {
    const raw = this.#base(request);
    return Number.isFinite(raw) && raw > 0 ? Math.ceil(raw) : 1;
  }

  /** The corrected input estimate for a model class. */
  input(request: MessageRequest, modelClass: string): number {
    return Math.max(1, Math.ceil(this.rawInput(request) * (this.#inputRatio.get(modelClass) ?? 1)));
  }

  /** Expected output tokens for a request: the class's running mean, never above `maxTokens`. */
  output(maxTokens: number, modelClass: string): number {
    const mean = this.#outputMean.get(modelClass);
    const guess = mean === undefined ? Math.min(1024, maxTokens) : Math.ceil(mean * 1.2);
    return Math.max(1, Math.min(maxTokens, guess));
  }

  /** Learns from a finished request: its raw estimate, and the server's total input and output counts. */
  learn(modelClass: string, rawInput: number, actualTotalInput: number, actualOutput: number): void {
    if (rawInput > 0 && actualTotalInput > 0) {
      const ratio = Math.min(5, Math.max(0.2, actualTotalInput / rawInput));
      const previous = this.#inputRatio.get(modelClass);
      this.#inputRatio.set(
        modelClass,
        previous === undefined ? ratio : previous + LEARNING_RATE * (ratio - previous),
      );
    }
    if (actualOutput >= 0 && Number.isFinite(actualOutput)) {
      const previous = this.#outputMean.get(modelClass);
      this.#outputMean.set(
        modelClass,
        previous === undefined ? actualOutput : previous + LEARNING_RATE * (actualOutput - previous),
      );
    }
  }
}
