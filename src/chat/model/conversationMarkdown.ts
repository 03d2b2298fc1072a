/** A conversation as a Markdown document, for Export. Pure. */
import { ENGLISH, type Localize } from '../../status/model/localize';
import type { ChatTurn, Conversation } from './chatConversation';
import { titleOf } from './chatHistory';

/** A backtick fence longer than any run of backticks in `text` (so the text cannot close it). */
function fenceFor(text: string): string {
  let longest = 0;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return '`'.repeat(Math.max(3, longest + 1));
}

function turnMarkdown(turn: ChatTurn, t: Localize): string {
  const parts: string[] = [];
  if (turn.role === 'user') {
    parts.push(`## ${t('You')}`);
    for (const c of turn.context ?? []) {
      const fence = fenceFor(c.text);
      parts.push(`\`${c.label}\`\n\n${fence}${c.language}\n${c.text}\n${fence}`);
    }
  } else {
    parts.push(turn.model ? `## Claude (${turn.model})` : '## Claude');
  }
  parts.push(turn.text.trim() === '' ? `*(${t('no text')})*` : turn.text);
  if (turn.note) parts.push(`*(${turn.note})*`);
  return parts.join('\n\n');
}

/**
 * The conversation as Markdown: its title as the heading, then each message under "You" or
 * "Claude (model)", attached context as fenced blocks, notes (interrupted, cut off) in italics.
 */
export function conversationMarkdown(conversation: Conversation, t: Localize = ENGLISH): string {
  const sections = [
    `# ${titleOf(conversation, t)}`,
    ...conversation.turns.map((turn) => turnMarkdown(turn, t)),
  ];
  return `${sections.join('\n\n')}\n`;
}

/** A file name for the exported conversation: its title, safe on every file system, ending `.md`. */
export function exportFileName(conversation: Conversation, t: Localize = ENGLISH): string {
  const base = [...titleOf(conversation, t)]
    .map((ch) => (ch < ' ' ? ' ' : ch))
    .join('')
    .replace(/[\\/:*?"<>|]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[. ]+$/, '');
  return `${base === '' ? 'chat' : base.slice(0, 60)}.md`;
}
