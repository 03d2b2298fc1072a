import * as vscode from 'vscode';
import { BUILT_IN_MODELS, catalogFromModelList, type CatalogModel } from '../lmProvider/model/modelCatalog';
import type { PacerService } from '../service/pacerService';
import type { ChatController } from './chatController';
import { headroomText, modelHeadroom } from './model/modelHeadroom';

interface ModelItem extends vscode.QuickPickItem {
  /** The model to use; undefined: back to the `claudePacer.model` setting. */
  readonly model: string | undefined;
}

/** The API's model list (`GET /v1/models`), else the built-in models when it cannot be read. */
async function loadCatalog(service: PacerService): Promise<readonly CatalogModel[]> {
  const outcome = await service.listModels();
  return (outcome.kind === 'success' ? catalogFromModelList(outcome.models) : undefined) ?? BUILT_IN_MODELS;
}

/** The picker's rows: the setting's default first, then each model with its headroom now. */
function modelItems(
  service: PacerService,
  catalog: readonly CatalogModel[],
  current: { readonly model: string; readonly isChosen: boolean },
): ModelItem[] {
  const setting = service.settings.model;
  const ids = [...new Set([setting, ...catalog.map((m) => m.id)])];
  const rows: ModelItem[] = [
    {
      label: `${current.isChosen ? '' : '$(check) '}${vscode.l10n.t('Default: {0}', setting)}`,
      description: vscode.l10n.t('the claudePacer.model setting'),
      model: undefined,
    },
  ];
  for (const id of ids) {
    const entry = catalog.find((m) => m.id === id);
    const headroom = modelHeadroom(service.scheduler.snapshot(id), id);
    rows.push({
      label: `${current.isChosen && current.model === id ? '$(check) ' : ''}${entry?.name ?? id}`,
      description: id,
      detail: headroomText(headroom, vscode.l10n.t),
      model: id,
    });
  }
  return rows;
}

/**
 * Shows `rows` once the API's list arrives. The same models stay as they are: replacing rows
 * under the pointer loses a click in progress (the accepted row is gone). Otherwise the focused
 * model keeps the focus.
 */
function replaceRowsKeepingFocus(pick: vscode.QuickPick<ModelItem>, rows: ModelItem[]): void {
  const ids = (items: readonly ModelItem[]): string => items.map((i) => i.model ?? '').join('\n');
  if (ids(rows) === ids(pick.items)) return;
  const focused = pick.activeItems[0]?.model;
  pick.items = rows;
  const keep = rows.find((r) => r.model === focused);
  if (keep) pick.activeItems = [keep];
}

/**
 * The chat's model picker: the API's models with each one's headroom now (the share of its pool's
 * budget left, from the scheduler's snapshot) and the setting as default. The choice is used for
 * the shown conversation's next requests. Resolves with the chosen model (undefined: the setting)
 * or null when dismissed.
 */
export async function pickChatModel(
  service: PacerService,
  chat: ChatController,
): Promise<string | undefined | null> {
  const pick = vscode.window.createQuickPick<ModelItem>();
  pick.title = vscode.l10n.t('Claude: Model for This Conversation');
  pick.placeholder = vscode.l10n.t('The model answers this conversation from the next message on');
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  const current = { model: chat.model, isChosen: chat.conversation.model !== undefined };
  pick.items = modelItems(service, BUILT_IN_MODELS, current);
  pick.busy = true;
  pick.show();
  void loadCatalog(service).then((catalog) => {
    replaceRowsKeepingFocus(pick, modelItems(service, catalog, current));
    pick.busy = false;
  });
  const chosen = await new Promise<ModelItem | undefined>((resolve) => {
    pick.onDidAccept(() => resolve(pick.selectedItems[0] ?? pick.activeItems[0]));
    pick.onDidHide(() => resolve(undefined));
  });
  pick.dispose();
  if (!chosen) return null;
  chat.chooseModel(chosen.model);
  return chosen.model;
}
