/**
 * What a screen reader hears about answers: nothing while they stream (the conversation is no live
 * region), then one short message when each finishes: "Claude answered: <first sentence>" or
 * "Answer stopped: <why>". Pure, so the page and the unit tests share it.
 */
import type { ChatMessageView } from './chatProtocol';
import { pageText, type PageStringKey, type PageStrings } from './pageStrings';

/** Longest excerpt of an answer read out, in characters. */
export const MAX_ANNOUNCED_CHARS = 140;

const ENDED_STATUS_TEXT: Readonly<Record<string, PageStringKey>> = {
  interrupted: 'statusInterrupted',
  stopped: 'statusStopped',
  failed: 'statusFailed',
};

/** The answer's Markdown as plain words: fences, emphasis, headings, quotes, list markers and link targets dropped. */
export function plainWords(markdown: string): string {
  return markdown
    .replace(/^ {0,3}(```|~~~).*$/gm, ' ')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^ {0,3}(#{1,6}|>|[-*+]|\d+[.)])\s+/gm, '')
    .replace(/[*_`~]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The first sentence of `text` (plain words), cut at {@link MAX_ANNOUNCED_CHARS} with an ellipsis. */
export function firstSentence(text: string): string {
  const words = plainWords(text);
  const end = /[.!?](\s|$)/.exec(words);
  const sentence = end ? words.slice(0, end.index + 1) : words;
  return sentence.length > MAX_ANNOUNCED_CHARS
    ? `${sentence.slice(0, MAX_ANNOUNCED_CHARS - 1).trimEnd()}…`
    : sentence;
}

/** The announcement for an answer that just ended, or undefined while it is in progress. */
export function answerAnnouncement(message: ChatMessageView, strings: PageStrings): string | undefined {
  if (message.role !== 'assistant' || message.status === 'pending' || message.status === 'streaming')
    return undefined;
  if (message.status === 'complete')
    return pageText(strings, 'announceAnswered', firstSentence(message.text));
  const statusKey = ENDED_STATUS_TEXT[message.status];
  const why = message.note ?? (statusKey ? strings[statusKey] : message.status);
  return pageText(strings, 'announceEndedEarly', why);
}

/**
 * Follows the messages the page is shown and yields one announcement per answer that ended after
 * the page saw it in progress: answers loaded already finished (a reload) are not read out again.
 */
export class AnswerAnnouncer {
  readonly #inProgress = new Set<string>();

  /** Notes `messages` (all, or the ones that changed) and returns the announcements they call for, in order. */
  observe(messages: readonly ChatMessageView[], strings: PageStrings): string[] {
    const said: string[] = [];
    for (const message of messages) {
      if (message.role !== 'assistant') continue;
      const announcement = answerAnnouncement(message, strings);
      if (announcement === undefined) this.#inProgress.add(message.id);
      else if (this.#inProgress.delete(message.id)) said.push(announcement);
    }
    return said;
  }
}
