type Json = Readonly<Record<string, unknown>>;

/** An editor command that wants code back: fix, refactor, add documentation, or write tests. */
export type EditTask = 'fix' | 'refactor' | 'document' | 'tests';

/** What a text request asks for, as far as the simulator can tell from its last user message. */
export type ReplyRequest =
  | { readonly kind: 'question'; readonly text: string }
  | { readonly kind: 'explain'; readonly code: SelectedCode }
  | {
      readonly kind: 'edit';
      readonly task: EditTask;
      readonly code: SelectedCode;
      readonly instruction?: string;
    };

/** The code an editor command sent: its language id, file name and text. */
export interface SelectedCode {
  readonly languageId: string;
  readonly fileName: string;
  readonly text: string;
}

// The asks of the extension's selection commands (src/commands/model/editPrompts.ts), matched by
// their wording as a real model would read them; the simulator imports nothing from src/.
const ASKS: ReadonlyArray<readonly [RegExp, EditTask | 'explain']> = [
  [/^Explain what this code does/m, 'explain'],
  [/^Fix the bugs in this code\./m, 'fix'],
  [/^Refactor this code: /m, 'refactor'],
  [/^Add documentation comments to this code/m, 'document'],
  [/^Write unit tests for this code/m, 'tests'],
];

/** True for a JSON object (not an array, not null). */
export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The text blocks of a message's content, joined by newlines (a string content as is). */
export function messageText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .filter(isObject)
    .map((b) => (b.type === 'text' && typeof b.text === 'string' ? b.text : ''))
    .join('\n');
}

/** The text of the last user message of a Messages body ('' when there is none). */
export function lastUserText(body: Json): string {
  const messages = Array.isArray(body.messages) ? body.messages.filter(isObject) : [];
  const last = messages.filter((m) => m.role === 'user').at(-1);
  return last ? messageText(last.content) : '';
}

function selectedCode(text: string): SelectedCode | undefined {
  const fenced = /^(`{3,})([^\n`]*)\n([\s\S]*?)\n\1$/m.exec(text);
  if (!fenced) return undefined;
  const file = /^File: (.+) \(([^()\s]+)\)$/m.exec(text);
  if (file) return { fileName: file[1]!, languageId: file[2]!, text: fenced[3]! };
  // The chat's shape (Explain Selection asks there): "Selected code `path:1-3`:" above the fence.
  const chat = /^Selected code `(.+?)(?::\d+-\d+)?`:$/m.exec(text);
  return chat ? { fileName: chat[1]!, languageId: fenced[2]!, text: fenced[3]! } : undefined;
}

/** Reads what a request asks: an editor command on some code (recognised by its prompt), or a question. */
export function readReplyRequest(body: Json): ReplyRequest {
  const text = lastUserText(body);
  const code = selectedCode(text);
  const ask = ASKS.find(([pattern]) => pattern.test(text))?.[1];
  if (code === undefined || ask === undefined) return { kind: 'question', text };
  if (ask === 'explain') return { kind: 'explain', code };
  const instruction = ask === 'refactor' ? /^Refactor this code: (.*)\. Return/m.exec(text)?.[1] : undefined;
  return { kind: 'edit', task: ask, code, ...(instruction !== undefined && { instruction }) };
}
