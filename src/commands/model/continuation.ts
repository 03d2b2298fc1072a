import type { MessageRequest } from '../../pacer/index';
import { CONTINUE_PROMPT } from '../../chat/model/chatRequest';
import { OPENING_FENCE } from './editReply';

/**
 * The request that asks Claude to carry on from `partialText`, its cut-off answer to `request`: the
 * partial answer as the assistant's turn, then the chat's Continue prompt. (Not a prefill ending on
 * the assistant's turn: some models refuse a conversation that does not end with a user message.)
 */
export function continuationRequest(request: MessageRequest, partialText: string): MessageRequest {
  return {
    ...request,
    messages: [
      ...request.messages,
      { role: 'assistant', content: partialText },
      { role: 'user', content: CONTINUE_PROMPT },
    ],
  };
}

/**
 * A reply cut off inside a code block joined with its continuation. Asked to go on, models often
 * open the block again first (a fence with an info string, "```ts"): that line is dropped, or it
 * would end up inside the code. A bare fence first is the block's closing fence and stays.
 */
export function joinContinuation(partialText: string, continuation: string): string {
  const reopened = /^(?:[ \t]*\r?\n)*([^\r\n]*)\r?\n/.exec(continuation);
  const fence = reopened ? OPENING_FENCE.exec(reopened[1]!) : null;
  const info = fence?.[3]?.trim() ?? '';
  if (!reopened || !fence || info === '' || (fence[2]!.startsWith('`') && info.includes('`')))
    return partialText + continuation;
  const rest = continuation.slice(reopened[0].length);
  return partialText === '' || partialText.endsWith('\n') ? partialText + rest : `${partialText}\n${rest}`;
}
