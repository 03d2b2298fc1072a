/** The two files of issue 15's rename, before: `a.ts` declares greet, `b.ts` calls it. */
export const GREET_FILES = { 'a.ts': 'export function greet() {}\n', 'b.ts': 'greet();\n' } as const;

/**
 * The simulator script of "rename greet to welcome in two files" in folder `dir`, for a task
 * containing `match`: list, read both files, ask for `../outside.txt` (refused), propose both
 * changes, answer.
 */
export function renameGreetScript(dir: string, match: string) {
  return {
    match,
    steps: [
      { text: 'Looking.', toolUses: [{ name: 'list_files', input: { glob: `${dir}/*.ts` } }] },
      {
        toolUses: [
          { name: 'read_file', input: { path: `${dir}/a.ts` } },
          { name: 'read_file', input: { path: `${dir}/b.ts` } },
        ],
      },
      { toolUses: [{ name: 'read_file', input: { path: '../outside.txt' } }] },
      {
        toolUses: [
          {
            name: 'replace_lines',
            input: { path: `${dir}/a.ts`, startLine: 1, endLine: 1, newText: 'export function welcome() {}' },
          },
          {
            name: 'replace_lines',
            input: { path: `${dir}/b.ts`, startLine: 1, endLine: 1, newText: 'welcome();' },
          },
        ],
      },
      { text: 'Renamed greet to welcome in both files.' },
    ],
  };
}
