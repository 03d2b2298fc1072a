/** Command ids, shared by registrations, menus and tests. */
export const COMMANDS = {
  addApiKey: 'claudePacer.addApiKey',
  manageApiKeys: 'claudePacer.manageApiKeys',
  removeAllApiKeys: 'claudePacer.removeAllApiKeys',
  showDetails: 'claudePacer.showDetails',
  retryNow: 'claudePacer.retryNow',
  cancelQueued: 'claudePacer.cancelQueued',
  showLog: 'claudePacer.showLog',
  openSettings: 'claudePacer.openSettings',
  setTeamRedisPassword: 'claudePacer.setTeamRedisPassword',
  ask: 'claudePacer.ask',
  explainSelection: 'claudePacer.explainSelection',
  fixSelection: 'claudePacer.fixSelection',
  refactorSelection: 'claudePacer.refactorSelection',
  addDocumentation: 'claudePacer.addDocumentation',
  writeTests: 'claudePacer.writeTests',
  acceptProposal: 'claudePacer.acceptProposal',
  rejectProposal: 'claudePacer.rejectProposal',
  showUsage: 'claudePacer.showUsage',
  newChat: 'claudePacer.newChat',
  focusChat: 'claudePacer.focusChat',
  /** Internal: posts a prompt into the chat view; resolves when the answer ends (undefined when the view cannot be shown). */
  chatAsk: 'claudePacer.chatAsk',
  /** Internal: the chat as shown and as stored (diagnostics and tests). */
  chatState: 'claudePacer.chatState',
} as const;
