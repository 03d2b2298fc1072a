import type { Middleware } from '@anthropic-ai/sdk';
import type { IdleWatch } from './idleWatch';

/**
 * Per-request SDK middleware that starts `watch` when the response headers arrive and counts every
 * body chunk as activity. Bytes, not parsed events: the SDK drops `ping` events before we see them,
 * and a ping still proves the connection is alive.
 */
export function idleMiddleware(watch: IdleWatch): Middleware {
  return async (request, next) => {
    const response = await next(request);
    watch.start();
    if (response.body === null) return response;
    const counted = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          watch.touch();
          controller.enqueue(chunk);
        },
      }),
    );
    return new Response(counted, response);
  };
}
