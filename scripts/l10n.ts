/**
 * `npm run l10n`: writes l10n/bundle.l10n.json (./l10n/exportBundle.ts) as `vscode-l10n-dev export`
 * does (two-space JSON). Writes nothing and exits 1 when a `Localize` call's message is not a literal.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { exportBundle } from './l10n/exportBundle';

const BUNDLE_FILE = resolve(__dirname, '..', 'l10n', 'bundle.l10n.json');

void exportBundle().then(({ bundle, problems }) => {
  if (problems.length > 0) {
    for (const problem of problems) console.error(problem);
    process.exitCode = 1;
    return;
  }
  writeFileSync(BUNDLE_FILE, JSON.stringify(bundle, undefined, 2));
  console.log(`${Object.keys(bundle).length} messages in ${BUNDLE_FILE}`);
});
