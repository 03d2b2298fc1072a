/**
 * The finalized Language Model Chat Provider API (VS Code 1.104), declared by hand: the project
 * keeps `engines.vscode` ^1.95 and builds against @types/vscode 1.95 (which predates the API), so
 * older editors still load the extension and simply get no provider (`registerLmProvider` checks
 * that the function exists at run time). Only the members we use are declared; they match
 * vscode.d.ts of 1.104 and later, and code-server's VS Code 1.139 implements them.
 */
declare module 'vscode' {
  export interface LanguageModelChatCapabilities {
    readonly imageInput?: boolean;
    readonly toolCalling?: boolean | number;
  }

  export interface LanguageModelChatInformation {
    readonly id: string;
    readonly name: string;
    readonly family: string;
    readonly version: string;
    readonly tooltip?: string;
    readonly detail?: string;
    readonly maxInputTokens: number;
    readonly maxOutputTokens: number;
    readonly capabilities: LanguageModelChatCapabilities;
  }

  export interface PrepareLanguageModelChatModelOptions {
    readonly silent: boolean;
  }

  export interface ProvideLanguageModelChatResponseOptions {
    readonly modelOptions?: { readonly [name: string]: unknown };
    readonly tools?: readonly LanguageModelChatTool[];
    readonly toolMode: LanguageModelChatToolMode;
  }

  export interface LanguageModelChatRequestMessage {
    readonly role: LanguageModelChatMessageRole;
    readonly content: readonly unknown[];
    readonly name: string | undefined;
  }

  export class LanguageModelDataPart {
    static image(data: Uint8Array, mimeType: string): LanguageModelDataPart;
    mimeType: string;
    data: Uint8Array;
    constructor(data: Uint8Array, mimeType: string);
  }

  export type LanguageModelResponsePart =
    LanguageModelTextPart | LanguageModelToolCallPart | LanguageModelToolResultPart | LanguageModelDataPart;

  export interface LanguageModelChatProvider<
    T extends LanguageModelChatInformation = LanguageModelChatInformation,
  > {
    readonly onDidChangeLanguageModelChatInformation?: Event<void>;
    provideLanguageModelChatInformation(
      options: PrepareLanguageModelChatModelOptions,
      token: CancellationToken,
    ): ProviderResult<T[]>;
    provideLanguageModelChatResponse(
      model: T,
      messages: readonly LanguageModelChatRequestMessage[],
      options: ProvideLanguageModelChatResponseOptions,
      progress: Progress<LanguageModelResponsePart>,
      token: CancellationToken,
    ): Thenable<void>;
    provideTokenCount(
      model: T,
      text: string | LanguageModelChatRequestMessage,
      token: CancellationToken,
    ): Thenable<number>;
  }

  // eslint-disable-next-line @typescript-eslint/no-namespace -- the shape of vscode.d.ts itself
  export namespace lm {
    export function registerLanguageModelChatProvider(
      vendor: string,
      provider: LanguageModelChatProvider,
    ): Disposable;
  }
}

/** Our vendor id: `contributes.languageModelChatProviders[].vendor` and `selectChatModels({ vendor })`. */
export const LM_VENDOR = 'claude-pacer';
