import type { ReplyScript, ScriptStep } from './config';
import { inputTokens, planBlocks, textTokens, type BlockDraft, type ReplyPlan } from './replies';
import { isObject, messageText } from './replyRequest';

type Json = Readonly<Record<string, unknown>>;

function hasToolResult(message: Json): boolean {
  return (
    Array.isArray(message.content) && message.content.some((b) => isObject(b) && b.type === 'tool_result')
  );
}

/**
 * The scripted step a request gets, or undefined when no script applies: the request must offer
 * tools, and the script's `match` must occur in the first user message's text.
 */
export function scriptedStep(scripts: readonly ReplyScript[], body: Json): ScriptStep | undefined {
  if (!Array.isArray(body.tools) || body.tools.length === 0) return undefined;
  const userMessages = (Array.isArray(body.messages) ? body.messages.filter(isObject) : []).filter(
    (m) => m.role === 'user',
  );
  const firstText = messageText(userMessages[0]?.content);
  const script = scripts.find((s) => s.match === undefined || firstText.includes(s.match));
  if (script === undefined) return undefined;
  const turn = userMessages.filter(hasToolResult).length;
  return script.steps[Math.min(turn, script.steps.length - 1)];
}

/** The reply of a scripted step: its text, then each tool call with a fresh id from `newId`. */
export function planScriptedReply(step: ScriptStep, newId: () => string, maxTokens: number): ReplyPlan {
  const drafts: BlockDraft[] = [];
  if (step.text !== undefined) drafts.push({ type: 'text', tokens: textTokens(step.text) });
  for (const { name, input } of step.toolUses)
    drafts.push({ type: 'tool_use', id: newId(), name, input, tokens: inputTokens(input) });
  return planBlocks(drafts, maxTokens);
}
