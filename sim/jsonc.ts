/** Parses JSON with `//` and `/* *\/` comments and trailing commas (the config file format). */
export function parseJsonc(text: string): unknown {
  return JSON.parse(stripJsonc(text)) as unknown;
}

/** Blanks comments and trailing commas outside strings, keeping offsets so JSON errors keep their positions. */
export function stripJsonc(text: string): string {
  const out: string[] = [];
  // Index in `out` of a comma not yet followed by a value: dropped if a closing bracket comes next.
  let pendingComma = -1;
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    const next = text[i + 1];
    if (ch === '"') {
      const end = stringEnd(text, i);
      out.push(text.slice(i, end));
      pendingComma = -1;
      i = end;
    } else if (ch === '/' && (next === '/' || next === '*')) {
      const end = next === '/' ? lineEnd(text, i) : blockEnd(text, i);
      out.push(text.slice(i, end).replace(/[^\n]/g, ' '));
      i = end;
    } else {
      if ((ch === '}' || ch === ']') && pendingComma !== -1) out[pendingComma] = ' ';
      if (ch === ',') pendingComma = out.length;
      else if (!/\s/.test(ch)) pendingComma = -1;
      out.push(ch);
      i++;
    }
  }
  return out.join('');
}

function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    if (text[i] === '\\') i += 2;
    else if (text[i] === '"') return i + 1;
    else i++;
  }
  return i;
}

function lineEnd(text: string, start: number): number {
  const end = text.indexOf('\n', start);
  return end === -1 ? text.length : end;
}

function blockEnd(text: string, start: number): number {
  const end = text.indexOf('*/', start + 2);
  return end === -1 ? text.length : end + 2;
}
