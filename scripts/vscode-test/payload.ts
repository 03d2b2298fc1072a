/** What the workbench page loads, beyond the folder. */
export interface WorkbenchPayload {
  /** Absolute path(s) of extensions to load in development mode (the workbench takes several). */
  readonly extensionDevelopmentPath?: string | readonly string[];
  /** Absolute path of a compiled test runner module (exports `run()`); the window exits when it settles. */
  readonly extensionTestsPath?: string;
  /** Becomes `process.env` additions in the extension host. */
  readonly extensionEnvironment?: Readonly<Record<string, string>>;
}

/**
 * The workbench URL for a folder on the server. code-server reads `payload` only when started with
 * `--vscode-option enable-smoke-test-driver`; paths in it are `vscode-remote://<authority><abs path>`.
 */
export function workbenchUrl(
  serverUrl: string,
  authority: string,
  folder: string,
  payload: WorkbenchPayload = {},
): string {
  const remote = (absPath: string): string => `vscode-remote://${authority}${absPath}`;
  const pairs: [string, string][] = [];
  for (const extensionPath of [payload.extensionDevelopmentPath ?? []].flat())
    pairs.push(['extensionDevelopmentPath', remote(extensionPath)]);
  if (payload.extensionTestsPath) pairs.push(['extensionTestsPath', remote(payload.extensionTestsPath)]);
  if (payload.extensionEnvironment)
    pairs.push(['extensionEnvironment', JSON.stringify(payload.extensionEnvironment)]);
  const url = new URL(serverUrl);
  url.searchParams.set('folder', folder);
  if (pairs.length > 0) url.searchParams.set('payload', JSON.stringify(pairs));
  return url.toString();
}
