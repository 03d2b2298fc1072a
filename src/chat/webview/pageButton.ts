/** A page button: its text, accessible name, classes and what a press does. */
export function pageButton(
  label: string,
  aria: string,
  className = '',
  onPress?: () => void,
): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = label;
  button.setAttribute('aria-label', aria);
  if (className !== '') button.className = className;
  if (onPress) button.addEventListener('click', onPress);
  return button;
}
