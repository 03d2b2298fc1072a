import { MAX_PROMPT_CHARS } from './chatProtocol';
import { ENGLISH, type Localize } from '../../status/model/localize';

/** Why a chat prompt cannot be sent because of its length, or undefined when it fits; said on both sides of the page boundary. */
export function promptSizeProblem(text: string, t: Localize = ENGLISH): string | undefined {
  if (text.length <= MAX_PROMPT_CHARS) return undefined;
  const fmt = (n: number): string => n.toLocaleString('en-US');
  return t(
    'This message has {0} characters; the chat takes at most {1}. Shorten it, or select the code and use a command on the selection instead.',
    fmt(text.length),
    fmt(MAX_PROMPT_CHARS),
  );
}

/** The notice for a page message the host dropped because its prompt is too long, or undefined for any other message. */
export function oversizedSendNotice(raw: unknown, t: Localize = ENGLISH): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { type, text } = raw as { type?: unknown; text?: unknown };
  return type === 'send' && typeof text === 'string' ? promptSizeProblem(text, t) : undefined;
}
