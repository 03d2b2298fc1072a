/**
 * The contract between the scheduler and whatever sends one HTTP attempt (the SDK adapter in
 * src/anthropic, or a fake in tests). One call of `send` is exactly one HTTP request: no retries
 * below this line, the scheduler owns them all.
 */

/** A text block of a message or system prompt; `cache_control` marks a prompt-cache breakpoint. */
export interface TextBlock {
  readonly type: 'text';
  readonly text: string;
  readonly cache_control?: { readonly type: 'ephemeral'; readonly ttl?: '5m' | '1h' };
}

type CacheControl = NonNullable<TextBlock['cache_control']>;

/** A base64 image block of a user message (`media_type` such as `image/png`). */
export interface ImageBlock {
  readonly type: 'image';
  readonly source: { readonly type: 'base64'; readonly media_type: string; readonly data: string };
  readonly cache_control?: CacheControl;
}

/** A tool call the assistant made; `input` is the parsed JSON object. */
export interface ToolUseBlock {
  readonly type: 'tool_use';
  readonly id: string;
  readonly name: string;
  readonly input: Readonly<Record<string, unknown>>;
  readonly cache_control?: CacheControl;
}

/** The result of a tool call, in the user turn after it; `tool_use_id` names the call. */
export interface ToolResultBlock {
  readonly type: 'tool_result';
  readonly tool_use_id: string;
  readonly content: string | readonly (TextBlock | ImageBlock)[];
  readonly is_error?: boolean;
  readonly cache_control?: CacheControl;
}

/** Any block of a message's content. */
export type ContentBlock = TextBlock | ImageBlock | ToolUseBlock | ToolResultBlock;

/** One conversation turn, structurally the Messages API's `MessageParam`. */
export interface MessageParam {
  readonly role: 'user' | 'assistant';
  readonly content: string | readonly ContentBlock[];
}

/** A tool the model may call; `input_schema` is a JSON Schema object, passed through as given. */
export interface ToolDefinition {
  readonly name: string;
  readonly description?: string;
  readonly input_schema: Readonly<Record<string, unknown>>;
}

/** How the model must use the tools: `any` = must call one, `tool` = must call the named one. */
export type ToolChoice =
  { readonly type: 'auto' } | { readonly type: 'any' } | { readonly type: 'tool'; readonly name: string };

/** The part of a Messages request the caller chooses. */
export interface MessageRequest {
  readonly model: string;
  readonly maxTokens: number;
  readonly messages: readonly MessageParam[];
  readonly system?: string | readonly TextBlock[];
  readonly tools?: readonly ToolDefinition[];
  readonly toolChoice?: ToolChoice;
}

/** Token usage as the server reported it. */
export interface Usage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheCreationInputTokens: number;
  readonly cacheReadInputTokens: number;
}

/** Read access to response headers, case-insensitive like the Fetch `Headers` class. */
export interface HeaderReader {
  get(name: string): string | null | undefined;
}

/** One attempt handed to the transport. */
export interface Attempt {
  /** The scheduler's request id, for logs. */
  readonly requestId: string;
  /** Which stored key to use; the transport resolves the secret itself, the core never sees it. */
  readonly keyId: string;
  readonly request: MessageRequest;
  /** 1 for the first attempt. */
  readonly attemptNumber: number;
  readonly signal: AbortSignal;
  /** Called for each streamed text fragment, in order. */
  readonly onText: (delta: string) => void;
  /** Called once when the response headers arrive (before any text), so pacing can resync early. */
  readonly onHeaders?: (headers: HeaderReader) => void;
}

/**
 * Every way an attempt can fail, as a closed set. The transport maps HTTP statuses, SDK error
 * classes, mid-stream `event: error` frames and socket failures onto these kinds.
 */
export type AttemptErrorKind =
  | 'rate_limited' // 429 (generic throttling, also mid-stream rate_limit_error)
  | 'ramp_limited' // 429 details.error_code = ramp_limit_exceeded
  | 'spend_limit' // 429 enforced_spend_limit_reached / contract_spend_limit_reached
  | 'overloaded' // 529 or mid-stream overloaded_error
  | 'server_error' // 500 and other 5xx, mid-stream api_error
  | 'gateway_timeout' // 504
  | 'connection' // reset, refused, socket closed mid-stream
  | 'timeout' // no response headers within the client timeout
  | 'malformed_response' // a body or SSE frame that is not the protocol
  | 'auth' // 401
  | 'permission' // 403
  | 'billing' // 402
  | 'invalid_request' // 400 and other unlisted 4xx
  | 'not_found' // 404
  | 'too_large' // 413
  | 'insecure_endpoint' // refused locally: the key would go over plain http to a non-loopback host
  | 'redirected' // a 3xx: never followed, since it would re-send the prompt (and maybe the key) elsewhere
  | 'endpoint_not_approved' // refused locally: the user did not approve sending keys to this host
  | 'aborted'; // the caller's AbortSignal fired

/** A classified attempt failure with everything the scheduler needs to react. */
export interface AttemptError {
  readonly kind: AttemptErrorKind;
  /** HTTP status; undefined for mid-stream, connection and abort errors. */
  readonly status?: number;
  /** The server's `error.type`, when there was one. */
  readonly type?: string;
  /** The server's message, or a description of the transport failure (never contains a key). */
  readonly message: string;
  /** `error.details.error_code`, when present. */
  readonly errorCode?: string;
  /** The `request-id` header or body field. */
  readonly serverRequestId?: string;
  /** True when the failure happened after the response started streaming (status 200). */
  readonly midStream: boolean;
}

/** What one attempt produced. `headers` is present whenever a response (even an error) arrived. */
export type AttemptOutcome =
  | {
      readonly kind: 'success';
      readonly text: string;
      readonly usage: Usage;
      readonly stopReason: string | null;
      readonly serverRequestId?: string;
      readonly headers: HeaderReader;
      /** The reply's blocks in order (text and tool calls); absent from transports that only stream text. */
      readonly content?: readonly (TextBlock | ToolUseBlock)[];
    }
  | {
      readonly kind: 'failure';
      readonly error: AttemptError;
      /** Text already handed to `onText` before the failure. */
      readonly partialText: string;
      /** Usage known so far (from message_start / message_delta), if any. */
      readonly partialUsage?: Usage;
      readonly headers?: HeaderReader;
    };

/** Sends attempts. Implementations must resolve (never reject) with exactly one outcome per call. */
export interface Transport {
  send(attempt: Attempt): Promise<AttemptOutcome>;
}

/** A token-count request for the free count_tokens endpoint. */
export interface CountTokensRequest {
  readonly keyId: string;
  readonly model: string;
  readonly messages: readonly MessageParam[];
  readonly system?: string | readonly TextBlock[];
  readonly tools?: readonly ToolDefinition[];
  readonly toolChoice?: ToolChoice;
  readonly signal?: AbortSignal;
}

/** Result of a count_tokens call (also used to verify a key and learn its organization). */
export type CountTokensOutcome =
  | { readonly kind: 'success'; readonly inputTokens: number; readonly headers: HeaderReader }
  | { readonly kind: 'failure'; readonly error: AttemptError; readonly headers?: HeaderReader };
