import type { KeyInfo } from '../pacer/index';

/** Keys for the built-in simulator, passed by `npm start` when no real key is stored. */
export interface DemoKey extends KeyInfo {
  readonly secret: string;
}

/** The demo keys named by `CLAUDE_PACER_DEMO_KEYS` (simulator-shaped keys only), labelled by position. */
export function demoKeysFromEnvironment(): DemoKey[] {
  const raw = process.env['CLAUDE_PACER_DEMO_KEYS'] ?? '';
  return raw
    .split(',')
    .map((k) => k.trim())
    .filter((k) => /^sk-ant-sim-[A-Za-z0-9_-]+$/.test(k))
    .map((secret, i) => ({
      id: `demo-${i + 1}`,
      label: `Simulator demo key ${i + 1}`,
      last4: secret.slice(-4),
      secret,
    }));
}
