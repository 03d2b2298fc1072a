// Bundles the extension into dist/extension.js, the chat page into media/chat/dist/ and the usage dashboard into media/usage/dist/. Type-checking is separate (`npm run typecheck`).
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

async function main() {
  const contexts = [await extensionContext(), await chatPageContext(), await usagePageContext()];
  if (watch) {
    await Promise.all(contexts.map((ctx) => ctx.watch()));
  } else {
    await Promise.all(contexts.map((ctx) => ctx.rebuild()));
    await Promise.all(contexts.map((ctx) => ctx.dispose()));
  }
}

// The chat webview's page script and styles (markdown-it and DOMPurify bundled) into media/chat/dist/.
function chatPageContext() {
  return esbuild.context({
    entryPoints: ['src/chat/webview/main.ts'],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    outfile: 'media/chat/dist/chat.js',
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
  });
}

// The usage dashboard's page script and styles (uPlot bundled) into media/usage/dist/.
function usagePageContext() {
  return esbuild.context({
    entryPoints: ['src/usage/webview/main.ts'],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    outfile: 'media/usage/dist/dashboard.js',
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
  });
}

function extensionContext() {
  return esbuild.context({
    entryPoints: ['src/extension.ts'],
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    outfile: 'dist/extension.js',
    external: ['vscode'],
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
