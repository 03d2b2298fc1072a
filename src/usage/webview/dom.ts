/** Builds an element with text set through `textContent` (never HTML) and plain attributes. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Readonly<Record<string, string>> = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  for (const child of children)
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  return node;
}

/** A table with a caption, header cells and rows of text; numeric columns align right. */
export function table(
  caption: string,
  headers: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
  numericFrom = 1,
): HTMLTableElement {
  const head = el(
    'tr',
    {},
    ...headers.map((h, i) => el('th', { scope: 'col', class: i >= numericFrom ? 'num' : '' }, h)),
  );
  const body = rows.map((row) =>
    el(
      'tr',
      {},
      ...row.map((cell, i) =>
        el(
          i === 0 ? 'th' : 'td',
          i === 0 ? { scope: 'row' } : { class: i >= numericFrom ? 'num' : '' },
          cell,
        ),
      ),
    ),
  );
  return el('table', {}, el('caption', {}, caption), el('thead', {}, head), el('tbody', {}, ...body));
}
