import * as vscode from 'vscode';
import { cacheReadsCountFor, createSystemClock, estimateByCharacters, modelClassOf } from '../pacer/index';
import type { PacerService } from '../service/pacerService';
import { describeAgentEvent } from './model/agentProgress';
import { AgentRun } from './model/agentRun';
import { WORKSPACE_TOOLS } from './model/agentTools';
import type { AgentBudget, AgentEvent, AgentOutcome } from './model/agentTypes';
import { ChangeSet, type FileChange } from './model/changeSet';
import { externalToolDefinitions, withExternalTools, type ExternalToolPort } from './model/externalTools';
import { planApply } from './model/changeReview';
import { ReviewSession, type ReviewResult } from './model/reviewSession';
import { runTool } from './model/runTool';
import { stepContextTokens } from './model/stepContext';
import { DEFAULT_TOOL_LIMITS } from './model/toolContext';
import type { CommandPort } from './model/workspacePort';
import { TerminalCommandPort } from './terminalCommandPort';
import { registeredLmTools, vscodeLmToolPort } from './vscodeLmTools';
import { VscodeWorkspacePort } from './vscodeWorkspacePort';

/** The most input tokens one step carries; it is also kept within the input-token buckets. Steps and tokens per run are settings. */
const MAX_STEP_CONTEXT_TOKENS = 150_000;

const SYSTEM =
  "You are a coding agent in the user's VS Code workspace. Use the tools to look before you change anything. " +
  'Edits are proposals the user reviews when you are done; say briefly what you changed and why.';

/** Writes one accepted file when it still has the text Claude read (the version check); true when written. */
export type ApplyFile = (change: FileChange) => Promise<boolean>;

/** The user's side of the review: decides on each proposed file, writes the accepted ones through `apply`, and resolves when every file is decided. */
export interface ChangeReviewUi {
  review(changes: readonly FileChange[], apply: ApplyFile): Promise<ReviewResult>;
}

/** A review that decides on every file at once (`choose` gives the accepted paths; undefined: none), then writes the accepted ones. */
export function reviewByChoice(
  choose: (changes: readonly FileChange[]) => Promise<ReadonlySet<string> | undefined>,
): ChangeReviewUi {
  return {
    review: async (changes, apply) => {
      const session = new ReviewSession(changes);
      const accepted = (await choose(changes)) ?? new Set<string>();
      for (const change of changes) {
        if (!accepted.has(change.path)) session.reject(change.path);
        else if (session.accept(change.path)) session.applied(change.path, await apply(change));
      }
      return session.result();
    },
  };
}

/** How a task ended, and which files landed. */
export interface AgentTaskResult extends ReviewResult {
  readonly outcome: AgentOutcome;
}

/** What a task needs besides the service and the folder. */
export interface AgentTaskOptions {
  readonly task: string;
  readonly review: ChangeReviewUi;
  readonly signal: AbortSignal;
  /** Each progress line ("Step 4 waits 0:12 for input tokens per minute"). */
  readonly onLine?: (line: string) => void;
  /** Each progress event of the run, as it comes. */
  readonly onEvent?: (event: AgentEvent) => void;
  /** @default a terminal with shell integration, after the user's confirmation */
  readonly commands?: CommandPort;
  readonly budget?: AgentBudget;
  /** How calls to VS Code's tools are made (when the setting offers them). @default confirmed by the user, then vscode.lm.invokeTool */
  readonly externalTools?: ExternalToolPort;
}

function uriOf(folder: vscode.WorkspaceFolder, relative: string): vscode.Uri {
  return vscode.Uri.joinPath(folder.uri, relative);
}

/** A file's text now: the open document's (unsaved edits included), else the disk's; undefined when missing. */
async function currentText(uri: vscode.Uri): Promise<string | undefined> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open !== undefined) return open.getText();
  try {
    return new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}

/** Writes the accepted, unchanged files in one workspace edit, then saves the documents it changed. */
async function applyAccepted(
  folder: vscode.WorkspaceFolder,
  changes: readonly FileChange[],
): Promise<boolean> {
  const edit = new vscode.WorkspaceEdit();
  for (const change of changes) {
    const uri = uriOf(folder, change.path);
    if (change.proposedText === undefined) edit.deleteFile(uri, { ignoreIfNotExists: true });
    else if (change.originalText === undefined)
      edit.createFile(uri, { contents: new TextEncoder().encode(change.proposedText) });
    else {
      const document = await vscode.workspace.openTextDocument(uri);
      const whole = new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length));
      edit.replace(uri, whole, change.proposedText);
    }
  }
  const isApplied = await vscode.workspace.applyEdit(edit);
  for (const change of changes)
    if (change.proposedText !== undefined && change.originalText !== undefined)
      await vscode.workspace.textDocuments
        .find((d) => d.uri.toString() === uriOf(folder, change.path).toString())
        ?.save();
  return isApplied;
}

/**
 * One agent task in a workspace folder: the run through the service's scheduler (interactive lane),
 * its progress as lines and events, then the review of its change set; only what the user accepts,
 * and only over text that did not change meanwhile, is written. A cancelled run is not reviewed.
 */
export async function runAgentTask(
  service: PacerService,
  folder: vscode.WorkspaceFolder,
  options: AgentTaskOptions,
): Promise<AgentTaskResult> {
  const changes = new ChangeSet();
  const workspace = new VscodeWorkspacePort(folder);
  const { settings } = service;
  const context = {
    policy: { root: folder.uri.path, allowSecrets: settings['agent.allowSecretFiles'] },
    workspace,
    commands: options.commands ?? new TerminalCommandPort(folder),
    changes,
    limits: DEFAULT_TOOL_LIMITS,
    approvedCommandPrefixes: settings['agent.preapprovedCommands'],
    signal: options.signal,
  };
  const { model, maxOutputTokens } = settings;
  const external = settings['agent.useVsCodeTools']
    ? externalToolDefinitions(registeredLmTools(), new Set(WORKSPACE_TOOLS.map((t) => t.name)))
    : [];
  const run = new AgentRun({
    model,
    maxTokens: maxOutputTokens,
    system: SYSTEM,
    task: options.task,
    tools: [...WORKSPACE_TOOLS, ...external],
    budget: options.budget ?? {
      maxSteps: settings['agent.maxSteps'],
      maxInputTokens: settings['agent.maxInputTokens'],
      contextTokens: () =>
        Math.min(
          MAX_STEP_CONTEXT_TOKENS,
          stepContextTokens(service.scheduler.snapshot(), modelClassOf(model), maxOutputTokens),
        ),
    },
    sender: service,
    executeTool: withExternalTools(
      (name, input) => runTool(name, input, context),
      external,
      options.externalTools ?? vscodeLmToolPort(DEFAULT_TOOL_LIMITS.maxResultChars),
    ),
    estimateInputTokens: estimateByCharacters,
    cacheReadsCount: cacheReadsCountFor(modelClassOf(model)),
    clock: createSystemClock(),
    signal: options.signal,
    label: 'Agent',
    t: vscode.l10n.t,
    onEvent: (event) => {
      options.onEvent?.(event);
      const line = describeAgentEvent(event, Date.now(), vscode.l10n.t);
      if (line !== undefined) options.onLine?.(line);
    },
  });
  const outcome = await run.run();
  const proposed = changes.files;
  if (proposed.length === 0 || outcome.status === 'cancelled')
    return { outcome, written: [], stale: [], rejected: proposed.map((c) => c.path) };
  const apply: ApplyFile = async (change) => {
    const now = await currentText(uriOf(folder, change.path));
    const plan = planApply([change], new Set([change.path]), () => now);
    return plan.write.length === 1 && (await applyAccepted(folder, plan.write));
  };
  return { outcome, ...(await options.review.review(proposed, apply)) };
}
