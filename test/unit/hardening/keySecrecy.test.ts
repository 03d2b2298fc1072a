// Key secrecy below the extension: the redaction every log line and message goes through, and the
// transport when a server redirects or echoes the key, and the classifier's clipping. (The whole-session scan runs in the
// extension host: test/integration/secrets.test.ts.)
import assert from 'node:assert/strict';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { describe, it } from 'node:test';
import { APIError } from '@anthropic-ai/sdk';
import fc from 'fast-check';
import { last4Of, redactSecrets } from '../../../src/keys/model/apiKeyShape';
import { adviseOnFailure } from '../../../src/status/model/failureAdvice';
import { decideFailure } from '../../../src/pacer/retry/failurePolicy';
import { createAnthropicTransport } from '../../../src/anthropic/anthropicTransport';
import { classifyError } from '../../../src/anthropic/classifyError';
import { startLoopbackServer } from '../../support/loopbackServer';
import { frame, recordingAttempt } from '../transport/wireServer';

const KEY_CHARS = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_');
/** A key of the real shape: sk-ant- and 17–120 key characters. */
const apiKey = fc
  .array(KEY_CHARS, { minLength: 17, maxLength: 120 })
  .map((chars) => `sk-ant-${chars.join('')}`);

void describe('redactSecrets', () => {
  void it('leaves no stored key in any text, whatever surrounds it; only …last4 remains', () => {
    fc.assert(
      fc.property(
        fc.array(apiKey, { minLength: 1, maxLength: 3 }),
        fc.array(fc.oneof(fc.string({ maxLength: 20 }), KEY_CHARS.map(String)), { maxLength: 8 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
        (keys, fillers, picks) => {
          // Keys glued to key characters, to each other, repeated, at the edges.
          const text = picks
            .map((p, i) => `${fillers[i % Math.max(1, fillers.length)] ?? ''}${keys[p % keys.length]!}`)
            .join('');
          const out = redactSecrets(text, keys);
          for (const key of keys) {
            assert.ok(!out.includes(key), 'a whole key survived');
            assert.ok(!out.includes(key.slice(0, -4)), 'a key without its last four survived');
          }
        },
      ),
      { numRuns: 1_000 },
    );
  });

  void it('cuts anything shaped like a key even when it is not a stored one (a proxy echoing another key)', () => {
    fc.assert(
      fc.property(fc.string(), apiKey, fc.string(), (before, key, after) => {
        const out = redactSecrets(`${before}${key}${after}`, []);
        assert.ok(!out.includes(key.slice(0, -4)), out);
      }),
    );
    assert.equal(redactSecrets('key sk-ant-api03-abcdefgh12345678 failed', []), 'key …5678 failed');
    assert.equal(last4Of('  sk-ant-api03-abcdefgh12345678 '), '5678');
  });

  void it('is total on arbitrary secrets and text, and leaves text without a secret or key shape as it is', () => {
    fc.assert(
      fc.property(fc.string(), fc.array(fc.string()), (text, secrets) => {
        const out = redactSecrets(text, secrets);
        const holdsSecret = secrets.some((secret) => secret.length >= 8 && text.includes(secret));
        if (!holdsSecret && !text.includes('sk-ant-')) assert.equal(out, text);
      }),
    );
    // Regular-expression characters in a secret are matched literally.
    const odd = 'a.b*c(d)+e?[f]';
    assert.equal(redactSecrets(`x ${odd} y ${odd}`, [odd]), `x …${last4Of(odd)} y …${last4Of(odd)}`);
    assert.equal(redactSecrets('aXbbcdde+e?[f]', [odd]), 'aXbbcdde+e?[f]');
  });
});

void describe('classifyError on a message that echoes the key', () => {
  /** An error response whose message is `text`, as the SDK raises it. */
  const serverError = (status: number, text: string): APIError =>
    APIError.generate(
      status,
      { type: 'error', error: { type: 'invalid_request_error', message: text } },
      undefined,
      new Headers(),
    );

  void it('redacts before clipping: a key at any offset of a message of any length leaves no 8 characters of it', () => {
    fc.assert(
      fc.property(
        apiKey,
        fc.nat({ max: 3_000 }),
        fc.nat({ max: 3_000 }),
        fc.constantFrom(400, 401, 500, 529),
        fc.boolean(),
        (key, before, after, status, isStored) => {
          // Filler of key characters, so the key's edges blur into its surroundings.
          const text = `${'a'.repeat(before)}${key}${'b'.repeat(after)}`;
          const error = classifyError(serverError(status, text), {
            afterHeaders: false,
            timeoutMs: 1_000,
            ...(isStored && { secret: key }),
          });
          assert.ok(error.message.length <= 1_000, `clipped: ${error.message.length}`);
          const body = key.slice(0, -4);
          for (let i = 0; i + 8 <= body.length; i++) {
            assert.ok(
              !error.message.includes(body.slice(i, i + 8)),
              `offset ${before}: ${body.slice(i, i + 8)}`,
            );
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

void describe('the transport and a hostile endpoint', () => {
  const SECRET = ['sk-ant-api03', 'HARDENING-redirect-0123456789abcdef'].join('-'); // in parts: not a leaked key to scanners

  /** Starts a loopback server; `handler` answers every request. */
  const serve = (handler: (headers: IncomingHttpHeaders, res: ServerResponse) => void) =>
    startLoopbackServer((res, request) => handler(request.headers, res));

  for (const status of [301, 302, 303, 307, 308]) {
    void it(`a ${status} redirect to another origin is never followed: one final failure naming the host`, async () => {
      const reached: IncomingHttpHeaders[] = [];
      // Another port is another origin; it stays on loopback so nothing leaves the machine.
      const target = await serve((headers, res) => {
        reached.push(headers);
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end('{}');
      });
      const origin = await serve((_, res) => {
        res.writeHead(status, { location: `${target.url}/v1/messages` });
        res.end();
      });
      const transport = createAnthropicTransport({
        baseUrl: origin.url,
        secretFor: () => SECRET,
        timeoutMs: 5_000,
      });
      try {
        const targetHost = new URL(target.url).host;
        const outcome = await transport.send(recordingAttempt());
        const counted = await transport.countTokens({ keyId: 'k', model: 'm', messages: [] });
        assert.equal(reached.length, 0, 'a request reached the redirect target');
        for (const result of [outcome, counted]) {
          assert.equal(result.kind, 'failure');
          if (result.kind !== 'failure') continue;
          assert.equal(result.error.kind, 'redirected');
          assert.equal(result.error.status, status);
          assert.ok(result.error.message.includes(targetHost), result.error.message);
          assert.ok(!result.error.message.includes(SECRET.slice(7, -4)));
          // Final: the scheduler fails it at once, with the sentence naming the host.
          assert.deepEqual(decideFailure(result.error, { dimensions: {}, hasRateLimitHeaders: false }, 0), {
            kind: 'fail',
          });
        }
        const reason = {
          kind: 'redirected',
          message: outcome.kind === 'failure' ? outcome.error.message : '',
        } as const;
        assert.ok(adviseOnFailure(reason).message.includes(targetHost));
      } finally {
        transport.dispose();
        await Promise.all([origin.close(), target.close()]);
      }
    });
  }

  void it('a server echoing the key in an error body, a mid-stream error or a header: the outcome never holds it', async () => {
    const echoes: Array<(auth: string, res: ServerResponse) => void> = [
      (auth, res) => {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            type: 'error',
            error: { type: 'authentication_error', message: `bad key ${auth}` },
          }),
        );
      },
      (auth, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(
          frame('error', { type: 'error', error: { type: 'overloaded_error', message: `echo ${auth}` } }),
        );
      },
      (auth, res) => {
        res.writeHead(400, { 'content-type': 'application/json', 'x-echo': auth });
        res.end(JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: auth } }));
      },
    ];
    for (const echo of echoes) {
      const server = await serve((headers, res) =>
        echo(String(headers.authorization ?? headers['x-api-key']), res),
      );
      const transport = createAnthropicTransport({
        baseUrl: server.url,
        secretFor: () => SECRET,
        timeoutMs: 5_000,
      });
      try {
        const outcome = await transport.send(recordingAttempt());
        assert.equal(outcome.kind, 'failure');
        // Headers are the server's own; the classified error (what reaches logs and the user) is clean.
        assert.ok(!JSON.stringify(outcome.error).includes(SECRET), JSON.stringify(outcome.error));
      } finally {
        transport.dispose();
        await server.close();
      }
    }
  });
});
