import type { PacerService } from '../service/pacerService';
import type { EditorContext } from './chatContext';
import type { Conversation } from './model/chatConversation';
import { switchCandidate, type HostMessage } from './model/chatProtocol';
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

/**
 * What Switch model offers answer `messageId` of `conversation` while it waits: the picker's
 * choice when one was made and differs from the model it waits on, else the fallback.
 */
export function switchTargetFor(
  service: PacerService,
  conversation: Conversation,
  messageId: string | undefined,
): string | undefined {
  const waiting = conversation.turns.find((t) => t.id === messageId)?.model;
  const settings = service.settings;
  const choice = {
    model: conversation.model ?? settings.model,
    isChosen: conversation.model !== undefined,
    fallbackModel: settings.fallbackModel,
  };
  return switchCandidate(waiting, choice);
}
