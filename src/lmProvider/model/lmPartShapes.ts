import type { LmPart } from './lmRequest';

/**
 * One VS Code message part (or a plain string) as zero or one model parts. Parts are recognised
 * by shape, not `instanceof`: classes such as `LanguageModelDataPart` are missing from older
 * editors, and an unknown part (thinking, prompt-tsx) is skipped rather than failing the request.
 */
export function toLmPart(part: unknown): LmPart[] {
  if (typeof part === 'string') return [{ kind: 'text', value: part }];
  if (typeof part !== 'object' || part === null) return [];
  const p = part as Record<string, unknown>;
  if (typeof p.callId === 'string' && typeof p.name === 'string' && 'input' in p)
    return [{ kind: 'toolCall', callId: p.callId, name: p.name, input: p.input }];
  if (typeof p.callId === 'string' && Array.isArray(p.content)) {
    const isError = p.isError === true;
    return [
      {
        kind: 'toolResult',
        callId: p.callId,
        content: p.content.flatMap(toLmPart),
        ...(isError && { isError }),
      },
    ];
  }
  // A thinking part also has a string `value`; its own fields tell it apart from text.
  if ('id' in p && 'metadata' in p) return [];
  if (typeof p.value === 'string') return [{ kind: 'text', value: p.value }];
  if (typeof p.mimeType === 'string' && p.data instanceof Uint8Array)
    return [{ kind: 'data', mimeType: p.mimeType, data: p.data }];
  return [];
}
