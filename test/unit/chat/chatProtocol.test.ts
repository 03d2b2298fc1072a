import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseHostMessage } from '../../../src/chat/model/parseHostMessage';
import { MAX_QUEUED_MESSAGES } from '../../../src/chat/model/followUpQueue';
import { AGENT_RUN_STATUSES } from '../../../src/chat/model/agentRunView';
import {
  AGENT_REVIEW_ACTIONS,
  MAX_CODE_CHARS,
  MAX_PROMPT_CHARS,
  parseWebviewMessage,
  safeExternalLink,
  type HostMessage,
  type WebviewMessage,
} from '../../../src/chat/model/chatProtocol';

const idArb = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);
const label = fc.string({ maxLength: 50 });
const tokens = fc.nat({ max: 1_000_000 });
const kind = fc.constantFrom('selection' as const, 'file' as const);
const statusArb = fc.constantFrom(
  'complete' as const,
  'pending' as const,
  'streaming' as const,
  'interrupted' as const,
  'stopped' as const,
  'failed' as const,
);

const webviewMessage: fc.Arbitrary<WebviewMessage> = fc.oneof(
  fc.constantFrom<WebviewMessage>(
    { type: 'ready' },
    { type: 'stop' },
    { type: 'retryNow' },
    { type: 'useFallback' },
    { type: 'newChat' },
  ),
  fc
    .string({ minLength: 1, maxLength: 200 })
    .filter((s) => s.trim() !== '')
    .map((text): WebviewMessage => ({ type: 'send', text })),
  fc
    .string({ minLength: 1, maxLength: 200 })
    .filter((s) => s.trim() !== '')
    .map((text): WebviewMessage => ({ type: 'sendAgent', text })),
  idArb.map((runId): WebviewMessage => ({ type: 'cancelAgent', runId })),
  fc
    .tuple(idArb, fc.constantFrom(...AGENT_REVIEW_ACTIONS))
    .map(([runId, action]): WebviewMessage => ({ type: 'reviewAgent', runId, action })),
  idArb.map((messageId): WebviewMessage => ({ type: 'resume', messageId })),
  idArb.map((messageId): WebviewMessage => ({ type: 'cancelQueued', messageId })),
  fc
    .tuple(fc.constantFrom('copyCode' as const, 'insertCode' as const, 'applyCode' as const), fc.string())
    .map(([type, code]): WebviewMessage => ({ type, code })),
  fc.webUrl().map((href): WebviewMessage => ({ type: 'openLink', href })),
  fc
    .tuple(kind, fc.boolean())
    .map(([k, isEnabled]): WebviewMessage => ({ type: 'toggleContext', kind: k, isEnabled })),
);

const messageView = fc.record(
  {
    id: idArb,
    role: fc.constantFrom('user' as const, 'assistant' as const),
    text: fc.string({ maxLength: 200 }),
    status: statusArb,
    context: fc.array(fc.record({ kind, label, tokens }), { maxLength: 3 }),
    note: label,
    model: label,
  },
  { requiredKeys: ['id', 'role', 'text', 'status'] },
);

const agentRun = fc.record(
  {
    id: idArb,
    task: fc.string({ maxLength: 200 }),
    afterMessageId: idArb,
    status: fc.constantFrom(...AGENT_RUN_STATUSES),
    activity: label,
    lines: fc.array(label, { maxLength: 5 }),
    wait: fc.record(
      { step: fc.nat({ max: 100 }), reason: fc.string({ minLength: 1, maxLength: 50 }), remainingMs: tokens },
      { requiredKeys: ['step', 'reason'] },
    ),
    text: fc.string({ maxLength: 200 }),
    note: label,
  },
  { requiredKeys: ['id', 'task', 'status', 'lines', 'text'] },
);

const hostMessage: fc.Arbitrary<HostMessage> = fc.oneof(
  agentRun.map((run): HostMessage => ({ type: 'agentRun', run })),
  fc.array(agentRun, { maxLength: 3 }).map((runs): HostMessage => ({ type: 'agentRuns', runs })),
  fc
    .tuple(fc.array(messageView, { maxLength: 5 }), fc.boolean())
    .map(([messages, isBusy]): HostMessage => ({ type: 'state', messages, isBusy })),
  fc
    .tuple(messageView, fc.boolean())
    .map(([message, isBusy]): HostMessage => ({ type: 'message', message, isBusy })),
  fc.tuple(idArb, fc.string()).map(([messageId, text]): HostMessage => ({ type: 'delta', messageId, text })),
  fc.constant<HostMessage>({ type: 'wait', banner: null }),
  fc
    .record(
      {
        messageId: idArb,
        reason: label,
        isLong: fc.boolean(),
        remainingMs: tokens,
        position: tokens,
        fallbackModel: fc.string({ minLength: 1, maxLength: 30 }),
      },
      { requiredKeys: ['messageId', 'reason', 'isLong'] },
    )
    .map((banner): HostMessage => ({ type: 'wait', banner })),
  fc
    .tuple(
      fc.array(fc.record({ kind, label, tokens, isEnabled: fc.boolean() }), { maxLength: 2 }),
      fc.record(
        {
          baseTokens: tokens,
          charsPerToken: fc.integer({ min: 1, max: 10 }),
          model: label,
          limitTokens: tokens,
        },
        { requiredKeys: ['baseTokens', 'charsPerToken', 'model'] },
      ),
    )
    .map(([chips, budget]): HostMessage => ({ type: 'context', chips, budget })),
  fc
    .tuple(fc.constantFrom('info' as const, 'error' as const), label)
    .map(([level, text]): HostMessage => ({ type: 'notice', level, text })),
  fc
    .tuple(
      fc.array(fc.record({ id: idArb, text: fc.string({ minLength: 1, maxLength: 100 }) }), {
        maxLength: MAX_QUEUED_MESSAGES,
      }),
      fc.boolean(),
    )
    .map(([messages, isPaused]): HostMessage => ({ type: 'queue', messages, isPaused })),
  fc.constant<HostMessage>({ type: 'focus' }),
);

const WEBVIEW_TYPES: ReadonlySet<string> = new Set([
  'ready',
  'stop',
  'retryNow',
  'useFallback',
  'newChat',
  'send',
  'sendAgent',
  'cancelAgent',
  'reviewAgent',
  'resume',
  'cancelQueued',
  'copyCode',
  'insertCode',
  'applyCode',
  'openLink',
  'toggleContext',
]);

function isWebviewMessage(message: WebviewMessage | HostMessage): message is WebviewMessage {
  return WEBVIEW_TYPES.has(message.type);
}

/** The message as it arrives through postMessage (plain objects; fast-check may build null-prototype ones). */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

describe('chat protocol validators', () => {
  it('are total: any value is either a valid message or undefined, never an exception', () => {
    fc.assert(
      fc.property(
        fc.anything({ withNullPrototype: true, withObjectString: true, withMap: true, withSet: true }),
        (value) => {
          const fromPage = parseWebviewMessage(value);
          const fromHost = parseHostMessage(value);
          if (fromPage !== undefined) assert.deepEqual(parseWebviewMessage(fromPage), fromPage);
          if (fromHost !== undefined) assert.deepEqual(parseHostMessage(fromHost), fromHost);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('are total on near-misses: valid messages with one field replaced by anything', () => {
    fc.assert(
      fc.property(
        fc.oneof(webviewMessage, hostMessage),
        // Half the time one of the message's own fields, else any name (mostly an unknown field).
        fc.oneof(fc.nat(), fc.string({ maxLength: 12 })),
        fc.anything(),
        (message, field, junk) => {
          const fields = Object.keys(message);
          const key = typeof field === 'number' ? fields[field % fields.length]! : field;
          const mutated = { ...message, [key]: junk } as unknown;
          const fromPage = parseWebviewMessage(mutated);
          const fromHost = parseHostMessage(mutated);
          const parsed = isWebviewMessage(message) ? fromPage : fromHost;
          if (!fields.includes(key)) {
            // An unknown field changes nothing: the message parses as it was, without the field.
            assert.deepEqual(parsed, plain(message));
          } else if (parsed !== undefined) {
            // A replaced field either fails the message or yields a valid one: the same fields, each
            // surviving postMessage (no undefined, NaN or functions), and parsing again to itself.
            assert.deepEqual(Object.keys(parsed).sort(), [...fields].sort());
            assert.deepEqual(plain(parsed), parsed);
            const reparsed = isWebviewMessage(parsed)
              ? parseWebviewMessage(parsed)
              : parseHostMessage(parsed);
            assert.deepEqual(reparsed, parsed);
          }
          // The two directions share no message type: the other side's parser refuses it.
          if (key !== 'type') assert.equal(isWebviewMessage(message) ? fromHost : fromPage, undefined);
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it('accept every well-formed message unchanged', () => {
    fc.assert(fc.property(webviewMessage, (m) => assert.deepEqual(parseWebviewMessage(plain(m)), plain(m))));
    fc.assert(fc.property(hostMessage, (m) => assert.deepEqual(parseHostMessage(plain(m)), plain(m))));
  });

  it('drop unknown fields, so nothing extra reaches the handlers', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'send', text: 'hi', command: 'rm -rf' }), {
      type: 'send',
      text: 'hi',
    });
    const polluted = JSON.parse('{"type":"stop","__proto__":{"isAdmin":true}}') as unknown;
    const parsed = parseWebviewMessage(polluted);
    assert.equal((parsed as { isAdmin?: unknown } | undefined)?.isAdmin, undefined);
    assert.deepEqual(parsed, { type: 'stop' });
  });

  it('reject malformed and oversized messages', () => {
    const rejected: unknown[] = [
      null,
      undefined,
      'send',
      ['send', 'x'],
      { type: 'send' },
      { type: 'send', text: '   ' },
      { type: 'send', text: 'x'.repeat(MAX_PROMPT_CHARS + 1) },
      { type: 'copyCode', code: 'x'.repeat(MAX_CODE_CHARS + 1) },
      { type: 'copyCode', code: 42 },
      { type: 'resume', messageId: '../../etc' },
      { type: 'resume', messageId: 'x'.repeat(65) },
      { type: 'cancelQueued', messageId: 'a b' },
      { type: 'cancelQueued' },
      { type: 'toggleContext', kind: 'clipboard', isEnabled: true },
      { type: 'toggleContext', kind: 'file', isEnabled: 'yes' },
      { type: 'openLink', href: '' },
      { type: 'runCommand', command: 'workbench.action.terminal.new' },
      {
        type: 'send',
        get text() {
          return 'accessor';
        },
      },
    ];
    for (const value of rejected) assert.equal(parseWebviewMessage(value), undefined, JSON.stringify(value));
    assert.equal(parseHostMessage({ type: 'delta', messageId: 'a', text: 1 }), undefined);
    const queued = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `q${i}`, text: 'next' }));
    assert.deepEqual(parseHostMessage({ type: 'queue', messages: queued(2), isPaused: false }), {
      type: 'queue',
      messages: queued(2),
      isPaused: false,
    });
    for (const bad of [
      { type: 'queue', messages: queued(MAX_QUEUED_MESSAGES + 1), isPaused: false },
      { type: 'queue', messages: [{ id: 'q1', text: '' }], isPaused: false },
      { type: 'queue', messages: [{ id: '../x', text: 'hi' }], isPaused: false },
      { type: 'queue', messages: [], isPaused: 'no' },
    ])
      assert.equal(parseHostMessage(bad), undefined, JSON.stringify(bad));
    assert.equal(
      parseHostMessage({
        type: 'state',
        messages: [{ id: 'a', role: 'system', text: '', status: 'complete' }],
        isBusy: false,
      }),
      undefined,
    );
    assert.equal(
      parseHostMessage({
        type: 'wait',
        banner: { messageId: 'a', reason: 'x', isLong: false, remainingMs: -1 },
      }),
      undefined,
    );
    assert.equal(
      parseHostMessage({
        type: 'context',
        chips: [],
        budget: { baseTokens: 1, charsPerToken: 0, model: 'm' },
      }),
      undefined,
    );
  });
});

describe('safeExternalLink', () => {
  it('opens only absolute http(s) links without credentials', () => {
    assert.equal(
      safeExternalLink('https://docs.claude.com/en/api/rate-limits'),
      'https://docs.claude.com/en/api/rate-limits',
    );
    assert.equal(safeExternalLink('http://example.com'), 'http://example.com/');
    for (const bad of [
      'command:workbench.action.terminal.new',
      'command:claudePacer.removeAllApiKeys',
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      ' javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'file:///etc/passwd',
      'vscode://settings',
      'https://user:pass@example.com/',
      '/relative/path',
      '#anchor',
      '',
    ]) {
      assert.equal(safeExternalLink(bad), undefined, bad);
    }
  });

  it('never lets a non-http(s) scheme through, for any string', () => {
    fc.assert(
      fc.property(fc.string(), (href) => {
        const safe = safeExternalLink(href);
        if (safe !== undefined) assert.match(safe, /^https?:\/\//);
      }),
    );
  });
});
