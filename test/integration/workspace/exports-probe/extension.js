// A stand-in for any other installed extension: it may read Claude Pacer's exports, so it reports
// everything it can reach there (own properties at any depth, the results of the API's functions,
// and the paths an earlier version exposed), as one notification line the UI check reads.
const vscode = require('vscode');

const PACER_ID = 'claude-pacer.claude-pacer';
const KEY_SHAPED = /sk-ant-[A-Za-z0-9_-]{8,}/;
const OLD_LEAKS = ['service', 'keys', 'allSecrets', 'secretFor', 'scheduler', 'proposals', 'usage'];

/** Walks every own property (enumerable or not) and prototype below `value`, collecting strings and paths. */
function walk(value, path, seen, found) {
  if (typeof value === 'string') {
    if (KEY_SHAPED.test(value)) found.keyShaped.push(path);
    return;
  }
  if (value === null || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value)) return;
  seen.add(value);
  found.paths.push(path);
  for (const name of Object.getOwnPropertyNames(value)) {
    if (OLD_LEAKS.includes(name)) found.leaks.push(`${path}.${name}`);
    let child;
    try {
      child = value[name];
    } catch {
      continue;
    }
    walk(child, `${path}.${name}`, seen, found);
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== null && proto !== Object.prototype && proto !== Function.prototype)
    walk(proto, `${path}.<proto>`, seen, found);
}

async function inspect() {
  const pacer = vscode.extensions.getExtension(PACER_ID);
  if (!pacer) return 'exports-probe: no Claude Pacer';
  const exports = await pacer.activate();
  const found = { paths: [], keyShaped: [], leaks: [] };
  const seen = new Set();
  walk(exports, 'exports', seen, found);
  // Call what the API offers without arguments and look at what comes back, too.
  for (const name of Object.getOwnPropertyNames(exports ?? {})) {
    if (typeof exports[name] !== 'function') continue;
    try {
      walk(await exports[name](), `exports.${name}()`, seen, found);
    } catch (error) {
      found.paths.push(`exports.${name}() threw ${String(error)}`);
    }
  }
  let secrets = 'unreachable';
  try {
    const all = exports?.service?.keys?.allSecrets?.();
    if (all) secrets = `${[...all].length} reachable`;
  } catch {
    secrets = 'threw';
  }
  const names = Object.getOwnPropertyNames(exports ?? {})
    .sort()
    .join(',');
  return `exports-probe: names=${names}; values=${found.paths.length}; keyShaped=${found.keyShaped.length}; leaks=${found.leaks.join(',') || 'none'}; allSecrets=${secrets}`;
}

function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand('exportsProbe.inspect', async () => {
      const report = await inspect();
      void vscode.window.showInformationMessage(report);
      return report;
    }),
  );
}

module.exports = { activate };
