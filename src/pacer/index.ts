/**
 * The pacing engine's public surface: everything outside src/pacer imports the engine from here
 * (lint-enforced), so what the editor, the SDK adapter and the benchmark rely on is listed in one place.
 */
export { createSystemClock } from './clock';
export type { Clock, TimerHandle } from './clock';
export type { KeyInfo } from './keys/keyPool';
export { cacheReadsCountFor, modelClassOf } from './limits/modelClass';
export { DIMENSION_WORDS, DIMENSIONS } from './limits/dimensions';
export type { Dimension } from './limits/dimensions';
export type { CooledLimit, WaitCause } from './limits/waitCause';
export type { Limits } from './limits/ratePool';
export { TokenBucket } from './limits/tokenBucket';
export { requestCost, zeroCost } from './limits/cost';
export type { Cost } from './limits/cost';
export { checkedCost, checkedPool, isShareablePool } from './sharing/sharedBudget';
export type {
  CloseAnswer,
  LeaseAnswer,
  SharedBudget,
  SharedBudgetHealth,
  SharedDimensionReading,
  SharedLimit,
  SharedLimits,
  SharedPoolId,
  SharedReading,
  SyncAnswer,
} from './sharing/sharedBudget';
export { estimateByCharacters } from './limits/tokenEstimator';
export { ExactTokenCounter } from './scheduling/exactTokenCounter';
export { Scheduler } from './scheduling/scheduler';
export type { SchedulerOptions } from './scheduling/schedulerOptions';
export type {
  KeySnapshot,
  NextPoolSnapshot,
  PoolSnapshot,
  SchedulerSnapshot,
} from './scheduling/schedulerSnapshot';
export { LANES } from './scheduling/schedulerTypes';
export type {
  FailureReason,
  Lane,
  RequestHandle,
  RequestProgress,
  RequestResult,
  SubmitOptions,
} from './scheduling/schedulerTypes';
export type {
  Attempt,
  AttemptError,
  AttemptErrorKind,
  AttemptOutcome,
  CountTokensOutcome,
  ContentBlock,
  CountTokensRequest,
  HeaderReader,
  ImageBlock,
  MessageParam,
  MessageRequest,
  TextBlock,
  ToolChoice,
  ToolDefinition,
  ToolResultBlock,
  ToolUseBlock,
  Transport,
  Usage,
} from './transport';
