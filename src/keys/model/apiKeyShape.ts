import { ENGLISH, type Localize } from '../../status/model/localize';

/** Why a pasted key was refused, or undefined when its shape is plausible. */
export function apiKeyShapeProblem(value: string, t: Localize = ENGLISH): string | undefined {
  const key = value.trim();
  if (key === '') return t('Paste an API key.');
  if (/\s/.test(key)) return t('An API key has no spaces or line breaks.');
  if (!key.startsWith('sk-ant-')) return t('Anthropic API keys start with "sk-ant-".');
  if (key.length < 24) return t('This key is too short to be an Anthropic API key.');
  if (key.length > 300) return t('This is too long to be an Anthropic API key.');
  if (!/^[A-Za-z0-9_-]+$/.test(key)) return t('An API key contains only letters, digits, "-" and "_".');
  return undefined;
}

/** The last four characters: the only part of a key ever shown or logged. */
export function last4Of(key: string): string {
  return key.trim().slice(-4);
}

/** Replaces every occurrence of any of `secrets` in `text` with `…last4`, for logs and messages. */
export function redactSecrets(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 8) continue;
    out = out.split(secret).join(`…${last4Of(secret)}`);
  }
  // Anything still shaped like a key (e.g. echoed by a proxy) is cut too.
  return out.replace(/sk-ant-[A-Za-z0-9_-]{8,}/g, (m) => `…${last4Of(m)}`);
}
