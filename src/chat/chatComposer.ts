import type { PacerService } from '../service/pacerService';
import type { EditorContext } from './chatContext';
import type { Conversation } from './model/chatConversation';
import type { HostMessage } from './model/chatProtocol';
import { chatRequestOptions, composerBudget, inputLimitFor } from './model/chatRequest';

/**
 * What the composer shows for `conversation` answered by `model`: the context chips with the
 * draft's token budget, and the model choice (the picker's or the setting's, and the fallback).
 */
export function composerContext(
  service: PacerService,
  conversation: Conversation,
  context: EditorContext,
  model: string,
): HostMessage[] {
  const settings = service.settings;
  const options = chatRequestOptions({ ...settings, model }, Date.now());
  const limitTokens = inputLimitFor(model, service.scheduler.snapshot().pools, settings);
  const budget = composerBudget(conversation, context.attachments, options, limitTokens);
  const fallbackModel = settings.fallbackModel.trim();
  return [
    { type: 'context', chips: context.chips, budget },
    {
      type: 'model',
      choice: {
        model,
        isChosen: conversation.model !== undefined,
        ...(fallbackModel !== '' ? { fallbackModel } : {}),
      },
    },
  ];
}
