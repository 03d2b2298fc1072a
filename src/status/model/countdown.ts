/** "m:ss" (or "h:mm:ss") until `targetMs`; 0:00 once it has passed. */
export function formatCountdown(targetMs: number, nowMs: number): string {
  const total = Math.max(0, Math.ceil((targetMs - nowMs) / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}
