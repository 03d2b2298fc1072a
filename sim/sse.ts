/** One server-sent event: `event: <name>`, `data: <json>`, blank line. */
export function sseEvent(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** A delta event whose JSON is cut off mid-string (the `malformed_sse` fault). */
export const malformedSseEvent =
  'event: content_block_delta\ndata: {"type": "content_block_delta", "index": 0, "delta": {"type": "text_de\n\n';

/** The `event: error` frame of a mid-stream failure, in the observed 2026 shape (`details: null`). */
export function sseErrorEvent(type: 'overloaded_error' | 'rate_limit_error', requestId: string): string {
  const message = type === 'overloaded_error' ? 'Overloaded' : 'Rate limited';
  return sseEvent('error', { type: 'error', error: { details: null, type, message }, request_id: requestId });
}
