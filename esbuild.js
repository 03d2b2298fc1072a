// Bundles the extension into dist/extension.js and the chat page into media/chat/dist/. Type-checking is separate (`npm run typecheck`).
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

async function main() {
  const contexts = [await extensionContext(), await chatPageContext()];
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
