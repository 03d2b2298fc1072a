/** `code` in one fenced Markdown block tagged `languageId` and ending in a newline; the fence is one backtick longer than any run inside, so the code never closes it early. */
export function fenced(code: string, languageId: string): string {
  const longest = Math.max(2, ...[...code.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}${languageId}\n${code}\n${ticks}\n`;
}
